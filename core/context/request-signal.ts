import { token } from '../container/token.js'
import { ContainerNoScope } from '../errors/codes.js'
import { requestAbortController } from '../gateway/request-abort.js'

/**
 * This request's `ctx.signal`, for scoped services: it aborts when the client
 * closes the connection or the app's time limit (`limits.handlerTimeout`)
 * passes. The orm component reads it to cancel a running query; a scoped
 * service of yours can hand it to `fetch` or any API that takes a signal.
 * Registered by the core; resolving it from a singleton is a captive
 * dependency, refused like any other.
 *
 * @example
 * c.scoped(Weather, (resolve) => new Weather({ signal: resolve(RequestSignal) }))
 */
export const RequestSignal = token<AbortSignal>('RequestSignal')

interface HasSignal {
  readonly signal: AbortSignal
}

// The request whose ctx.resolve() is running. Resolution is synchronous, so
// one variable is enough, as for the container's own chain of registrations.
let resolving: HasSignal | undefined

/**
 * @internal `ctx.resolve()` begins: a `RequestSignal` resolved until
 * {@link leaveResolve} is `ctx`'s. Returns what to restore.
 */
export function enterResolve(ctx: HasSignal): HasSignal | undefined {
  const outer = resolving
  resolving = ctx
  return outer
}

/** @internal `ctx.resolve()` ends. */
export function leaveResolve(outer: HasSignal | undefined): void {
  resolving = outer
}

/** @internal The provider of {@link RequestSignal}, registered by createApp. */
export function currentRequestSignal(): AbortSignal {
  if (resolving === undefined) {
    throw ContainerNoScope('RequestSignal is the signal of one request: resolve it through ctx.resolve(), from a scoped or transient service.')
  }
  return resolving.signal
}

/** @internal What is behind `ctx.signal`. */
export interface RequestAbort {
  readonly controller: AbortController
  /** Stop listening to the client's signal: the request is over. */
  release(): void
}

const nothingToRelease = () => {}

/**
 * @internal The controller behind `ctx.signal`: aborted with the client's
 * reason when `request.signal` aborts, or by the app when the time limit
 * passes (`timeUp`, when it already has). When the adapter offers its own
 * controller for `request.signal` (`requestAbortKey`), that is the one: no
 * second controller, no listener. Otherwise a new controller follows the
 * client's signal, and that listener is removed when the request ends, so a
 * Request answered many times (a test's) does not pile them up.
 */
export function requestAbort(request: Request, timeUp: unknown): RequestAbort {
  const own = requestAbortController(request)
  if (own) {
    if (timeUp !== undefined && !own.signal.aborted) own.abort(timeUp)
    return { controller: own, release: nothingToRelease }
  }
  const client = request.signal
  const controller = new AbortController()
  if (timeUp !== undefined) controller.abort(timeUp)
  else if (client.aborted) controller.abort(client.reason)
  else {
    const follow = () => controller.abort(client.reason)
    client.addEventListener('abort', follow, { once: true })
    return { controller, release: () => client.removeEventListener('abort', follow) }
  }
  return { controller, release: nothingToRelease }
}
