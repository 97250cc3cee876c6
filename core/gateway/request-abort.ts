/**
 * The controller behind a request's own `signal`, which an adapter may let
 * the app abort, so that `ctx.signal` can be that one signal.
 *
 * Why: `ctx.signal` aborts when the client leaves or when the app's time
 * limit passes. On a plain `Request` the core makes it from a second
 * `AbortController` that follows `request.signal` through a listener. An
 * `AbortController` costs several microseconds on Node 20, and both ORM
 * components read `ctx.signal` on every database request, so an adapter that
 * owns its request's controller anyway offers it under this registered
 * symbol (a method of its request class, like {@link bodyBytesKey}); the core
 * then uses it directly, and aborts it itself when the time limit passes. The
 * request's `signal` and `ctx.signal` are then the same signal, with the
 * same reason.
 */
export const requestAbortKey: unique symbol = Symbol.for('dovetail.requestAbort')

/**
 * What an adapter's request offers under {@link requestAbortKey}: the
 * controller of its `signal` (made on first call, the same one after), which
 * aborts when the client closes the connection and which the app may abort
 * when it gives up on the request.
 */
export type RequestAbortController = () => AbortController

/**
 * The adapter's controller for this request's signal (see
 * {@link RequestAbortController}), or `undefined` when it offers none: then
 * follow `request.signal`.
 *
 * @example
 * const controller = requestAbortController(request)
 * const signal = controller ? controller.signal : followed(request.signal)
 */
export function requestAbortController(request: Request): AbortController | undefined {
  const offered = (request as Request & { [requestAbortKey]?: RequestAbortController })[requestAbortKey]
  return typeof offered === 'function' ? offered.call(request) : undefined
}
