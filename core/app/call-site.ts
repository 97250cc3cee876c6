/**
 * Where `caller` was called from, as `file:line`, worked out only when asked:
 * what `r.get()` and the other `routes(r)` methods record for `dovetail
 * routes`, and what a router component records where its users define
 * routes their own way (object-dispatch's `expose()`), for its `routes()`. Capturing one stack frame costs a few microseconds per route at
 * boot; formatting it (with source maps under tsx or vitest) costs more, so
 * it waits until a tool reads it. Undefined where the runtime keeps no V8
 * stack (`Error.captureStackTrace`) or the frame names no file.
 *
 * @example
 * const site = captureCallSite(routes.get)
 * site() // '/srv/app/app.ts:12'
 */
export function captureCallSite(caller: (...args: never[]) => unknown): () => string | undefined {
  const holder: { stack?: string } = {}
  const limit = Error.stackTraceLimit
  try {
    // One frame is all that is read: the caller's caller, where the route is written.
    Error.stackTraceLimit = 1
    Error.captureStackTrace?.(holder, caller)
  } finally {
    Error.stackTraceLimit = limit
  }
  let site: string | undefined | null = null
  return () => (site === null ? (site = frameLocation(holder.stack)) : site)
}

/** `file:line` of the first frame of a V8 stack: `at fn (file:///srv/app.ts:12:5)` or `at /srv/app.ts:12:5`. */
function frameLocation(stack: string | undefined): string | undefined {
  const frame = stack?.split('\n').find((line) => line.trimStart().startsWith('at '))
  const found = frame && /\(?((?:file:\/\/|\/|[A-Za-z]:[\\/])[^()]*?):(\d+):\d+\)?\s*$/.exec(frame)
  if (!found) return undefined
  // No node:url here: the core runs on fetch hosts without node's modules.
  const file = found[1]!.startsWith('file://') ? decodeURIComponent(new URL(found[1]!).pathname) : found[1]!
  return `${file}:${found[2]}`
}
