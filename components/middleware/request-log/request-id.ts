import { randomUUID } from 'node:crypto'

/**
 * What a request id from a client or proxy may look like: 1 to 128 characters
 * from a set that covers UUIDs, ULIDs and the common tracing formats, and
 * cannot break a log line or an HTML page.
 */
const acceptable = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/**
 * The id to use for a request: the trusted header's value when it is there and
 * well-formed, else a fresh UUID. An id that fails the check is replaced, not
 * refused, so a misbehaving proxy cannot take requests down.
 *
 * @example
 * requestIdFor(request, 'x-request-id') // '3f2c…' from the header, or a new UUID
 */
export function requestIdFor(request: Request, trustHeader: string | false): string {
  if (trustHeader) {
    const given = request.headers.get(trustHeader)
    if (given !== null && acceptable.test(given)) return given
  }
  return randomUUID()
}
