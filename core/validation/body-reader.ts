import { token } from '../container/token.js'
import type { Context } from '../context/context.js'

/**
 * A request body as a body schema sees it: a JSON body's value, a form's
 * fields as an object (a field sent once is a string, sent more than once
 * an array of strings; files by their field name), or `undefined` with no
 * body.
 */
export interface RequestBody {
  kind: 'json' | 'form' | 'none'
  value: unknown
}

/**
 * Reads the request body for route validation. The body middleware
 * (`dovetailjs/components/middleware/body`) registers it, with its limits
 * and its 400/413/415 errors; a route with a `body` schema needs it, and
 * `createApp` says so at startup when no component registered it.
 *
 * @example
 * register(c) { c.value(BodyReader, async (ctx) => ({ kind: 'json', value: await ctx.request.json() })) }
 */
export type BodyReader = (ctx: Context) => Promise<RequestBody>

export const BodyReader = token<BodyReader>('BodyReader')
