/**
 * The network address of the peer that sent a request, as the server adapter
 * saw it. A fetch `Request` has no field for it, so adapters that know it
 * record it on the request under a registered symbol (a property, not a
 * WeakMap: a WeakMap entry per request is ephemeron work for every GC), and
 * `ctx.clientAddress` reads it. Behind a reverse proxy this is the proxy's
 * address: trust a forwarded header only in a component that is told to
 * (e.g. the auth component's `trustProxy`).
 */
export const clientAddressKey: unique symbol = Symbol.for('dovetail.clientAddress')

type WithAddress = Request & { [clientAddressKey]?: string | undefined }

/** For server adapters: record the peer address of a request they built. */
export function setClientAddress(request: Request, address: string | undefined): void {
  if (address) (request as WithAddress)[clientAddressKey] = address
}

/**
 * The peer address of a request, or `undefined` when its adapter did not say
 * (the test client, a mounted sub-app's rewritten request, a runtime that hides it).
 *
 * @example
 * r.get('/ip', (ctx) => ctx.text(clientAddress(ctx.request) ?? 'unknown'))
 */
export function clientAddress(request: Request): string | undefined {
  return (request as WithAddress)[clientAddressKey]
}
