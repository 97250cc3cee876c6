import { clientAddress, setClientAddress } from './client-address.js'

/**
 * The same request at another URL: method, headers, body (streamed, not
 * buffered), abort signal and client address carried over. The core uses it
 * to give the pipeline the normalised path and a mounted app its own path.
 *
 * @example
 * const inner = requestAt(request, 'http://localhost/2024') // what a mount at /reports sees of /reports/2024
 */
export function requestAt(request: Request, url: string): Request {
  const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers: request.headers, signal: request.signal }
  if (request.body) {
    init.body = request.body
    init.duplex = 'half'
  }
  const moved = new Request(url, init)
  setClientAddress(moved, clientAddress(request))
  return moved
}
