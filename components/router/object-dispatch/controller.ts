import { ObjectDispatchInvalidTree } from './errors.js'
import { paramName } from './expose.js'

/**
 * A base for controllers written as classes. An instance's own properties
 * (class fields) are its path segments, as a plain object's keys are; methods
 * on the prototype are never routed, so they are safe places for helpers.
 * `_lookup` and `_default` may be fields or methods.
 *
 * @example
 * class AdminController extends Controller {
 *   index = expose((ctx) => ctx.text('admin'))          // GET /admin
 *   users = { index: expose(listUsers) }                 // GET /admin/users
 *   _default = expose((ctx) => ctx.text(`no ${ctx.params['*']}`))
 *   format(user: User) { … }                             // not reachable
 * }
 * const root = { admin: new AdminController() }
 */
export abstract class Controller {}

/**
 * A controller: a plain object or an instance of a {@link Controller}
 * subclass. Its keys are path segments; values made by `expose()` answer,
 * controllers lead deeper, `_lookup` and `_default` take what nothing else does.
 * Functions and plain values under other keys are helpers and never answer.
 */
export type ControllerTree = Controller | { readonly [segment: string]: unknown }

/** What a `_lookup` answers: the controller dispatch goes on in, with the segments it did not consume. */
export interface Lookup {
  controller: ControllerTree
  /** The segments left, fewer than the lookup was given (it consumes at least one). */
  remainder: readonly string[]
  /** Added to `ctx.params`. Names are letters, digits and `_`; values strings. */
  params?: Readonly<Record<string, string>>
}

/**
 * A `_lookup` hook: called with the decoded segments nothing static matched,
 * the first being the segment at the hook's controller. Returns where to go on,
 * or `undefined` to decline (then `_default` and the controllers above are
 * tried). It runs while the router matches, before the request's scope exists,
 * so it decides from the segments alone; check that a record exists in the
 * handler, which can answer 404.
 */
export type LookupHook = (...segments: string[]) => Lookup | undefined

/** How `lookup(param, controller)` describes itself, so the router knows its path for `url()`. */
export interface DeclaredLookup {
  param: string
  controller: ControllerTree
}

const declaredLookups = new WeakMap<LookupHook, DeclaredLookup>()

/** The parameter and controller of a hook made by {@link lookup}; undefined for a hand-written one. */
export const declaredLookup = (hook: LookupHook): DeclaredLookup | undefined => declaredLookups.get(hook)

/**
 * A `_lookup` that takes one segment as the parameter `param` and goes on in
 * `controller`: `pages: { _lookup: lookup('slug', page) }` answers
 * `/pages/FrontPage/edit` with `page.edit` and `ctx.params.slug === 'FrontPage'`.
 * Unlike a hand-written `_lookup`, the router knows where it leads, so actions
 * under it can be named and their paths built with `url()`.
 *
 * @example
 * const page = { index: expose(show, { name: 'page' }), edit: expose(edit, { name: 'page-edit' }) }
 * const root = { pages: { index: expose(list), _lookup: lookup('slug', page) } }
 * app.url('page-edit', { slug: 'Front Page' }) // '/pages/Front%20Page/edit'
 */
export function lookup(param: string, controller: ControllerTree): LookupHook {
  if (typeof param !== 'string' || !paramName.test(param)) throw ObjectDispatchInvalidTree(`lookup('${String(param)}', …): a parameter name is letters, digits and _ (not __proto__).`)
  if (!isController(controller)) throw ObjectDispatchInvalidTree(`lookup('${param}', …): the second argument must be a controller (a plain object or a Controller instance).`)
  const hook: LookupHook = (segment, ...remainder) => ({ controller, remainder, params: { [param]: segment! } })
  declaredLookups.set(hook, { param, controller })
  return hook
}

/** A plain object or a {@link Controller} instance: what may stand for a controller. */
export function isController(value: unknown): value is ControllerTree {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null || value instanceof Controller
}
