/**
 * The network address of the peer that sent a request, as the server adapter
 * saw it. A fetch `Request` has no field for it, so adapters that know it
 * record it here, keyed by the request object, and `ctx.clientAddress` reads it.
 * Behind a reverse proxy this is the proxy's address: trust a forwarded header
 * only in a component that is told to (e.g. the auth component's `trustProxy`).
 */
const addresses = new WeakMap<Request, string>()

/** For server adapters: record the peer address of a request they built. */
export function setClientAddress(request: Request, address: string | undefined): void {
  if (address) addresses.set(request, address)
}

/**
 * The peer address of a request, or `undefined` when its adapter did not say
 * (the test client, a mounted sub-app's rewritten request, a runtime that hides it).
 *
 * @example
 * r.get('/ip', (ctx) => ctx.text(clientAddress(ctx.request) ?? 'unknown'))
 */
export function clientAddress(request: Request): string | undefined {
  return addresses.get(request)
}
