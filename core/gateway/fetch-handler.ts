/**
 * The gateway interface: what WSGI is to Python, this signature is to Dovetail.
 *
 * An app *is* a fetch handler. Every server adapter (node:http, CGI, FastCGI,
 * SCGI, Bun, Deno, Workers, @hono/node-server) calls it, and any function of this
 * shape can be mounted inside an app. Adapters translate their runtime's I/O to
 * and from it and do nothing else.
 *
 * @example
 * const hello: FetchHandler = async (request) => new Response(`you asked for ${new URL(request.url).pathname}`)
 * app.fetch(new Request('http://localhost/'))
 */
export type FetchHandler = (request: Request) => Promise<Response> | Response

/** Something that exposes the gateway interface, such as a Dovetail app or a Hono app. */
export interface HasFetch {
  fetch: FetchHandler
}
