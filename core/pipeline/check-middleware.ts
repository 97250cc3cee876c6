import { isComponent, isComponentFactory } from '../component/define-component.js'
import { ConfigInvalid } from '../errors/codes.js'
import type { Middleware } from './middleware.js'

/**
 * One check for every list of middleware functions a config gives
 * (`config.middleware`, a route's or a group's `use`): refused at startup, a
 * component (or its factory, itself a function) put there by mistake, or
 * anything else that is not a function, would otherwise fail at the first
 * request. `label` names the entry (`config.middleware[0]`), `place` says
 * where components go instead.
 *
 * @example
 * checkMiddlewareFunction(entry, 'config.middleware[0]', 'Components go in components.middleware.')
 */
export function checkMiddlewareFunction(entry: unknown, label: string, place: string): Middleware {
  if (isComponent(entry) || isComponentFactory(entry)) {
    throw ConfigInvalid(`${label} is the component '${entry.definition.name}', not a middleware function. ${place}`)
  }
  if (typeof entry !== 'function') {
    throw ConfigInvalid(`${label} is ${entry === null ? 'null' : typeof entry}, not a middleware function (ctx, next) => Promise<Response>. ${place}`)
  }
  return entry as Middleware
}
