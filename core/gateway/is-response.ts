// Captured when the core loads, before any host can replace the global.
const NativeResponse = globalThis.Response

/**
 * Whether a value is a fetch `Response`, including ones made before a host
 * replaced the global `Response` class.
 *
 * Why not plain `instanceof Response`: @hono/node-server (by default) swaps
 * `globalThis.Response` for its own subclass when it starts. A response built
 * earlier, or by the core's light helpers whose prototype was fixed at load,
 * is then no `instanceof` the new global, though it is a perfectly good
 * response. Checking against the class the core loaded with as well keeps an
 * app working under such a host with no glue.
 *
 * @example
 * const result = await handler(ctx)
 * if (!isResponse(result)) throw new Error('the handler must return a Response')
 */
export function isResponse(value: unknown): value is Response {
  return value instanceof Response || value instanceof NativeResponse
}
