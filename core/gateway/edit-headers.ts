/**
 * Change a response's headers, whatever made the response.
 *
 * Why: most responses have writable headers (those from `new Response` and the
 * `ctx` helpers), but some are immutable by the Fetch standard (`Response.redirect`,
 * `Response.error`, what `fetch()` returned, often what a mounted app answers),
 * and setting a header on them throws a TypeError. Middleware that decorates
 * every response (security headers, CORS, request ids) goes through this: it
 * edits in place when it can and otherwise returns a copy with the same status
 * and body stream.
 *
 * @example
 * const res = await next()
 * return editHeaders(res, (h) => h.set('x-request-id', id))
 */
export function editHeaders(response: Response, edit: (headers: Headers) => void): Response {
  try {
    edit(response.headers)
    return response
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
  }
  const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers })
  edit(copy.headers)
  return copy
}
