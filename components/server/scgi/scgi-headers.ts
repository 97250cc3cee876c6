import type { HttpError } from '../../../core/index.js'
import { cgiParamEncoding } from '../../../core/server-kit/index.js'
import { ScgiContentLength, ScgiHeaders, ScgiVersion } from './errors.js'

/**
 * The variables of an SCGI header block (the netstring's content), held to
 * the spec (https://python.ca/scgi/protocol.txt): NUL-terminated name/value
 * pairs, each name non-empty and given once, `CONTENT_LENGTH` first with a
 * value of ASCII digits, and `SCGI` with the value `1`. Returns the pairs, or
 * the 400 `HttpError` that refuses the request.
 *
 * Why so strict: the web server frames the body by the same CONTENT_LENGTH,
 * and a second variable of a name (two CONTENT_LENGTH, two REQUEST_URI) would
 * let the app read a request other than the one the web server checked.
 *
 * One exception to "given once": request headers (`HTTP_*`). HTTP lets a
 * header repeat, nginx before 1.23 sends each occurrence as its own variable,
 * and nginx sends an `scgi_param HTTP_HOST` that redefines the one in
 * `scgi_params` (as the documented config does) after it; they are combined
 * as the headers they stand for (see splitCgiParams: the last Host wins).
 *
 * @example
 * parseScgiHeaders(Buffer.from('CONTENT_LENGTH\0' + '0\0SCGI\0' + '1\0REQUEST_URI\0/\0'))
 * // [['CONTENT_LENGTH', '0'], ['SCGI', '1'], ['REQUEST_URI', '/']]
 */
export function parseScgiHeaders(block: Buffer): Array<[string, string]> | HttpError {
  if (block.length === 0) return ScgiContentLength('The SCGI header block is empty; it must start with CONTENT_LENGTH.')
  if (block[block.length - 1] !== 0) return ScgiHeaders('The SCGI header block does not end with a NUL.')
  const pairs: Array<[string, string]> = []
  const names = new Set<string>()
  let at = 0
  while (at < block.length) {
    const nameEnd = block.indexOf(0, at)
    const valueEnd = block.indexOf(0, nameEnd + 1)
    if (valueEnd < 0) return ScgiHeaders(`The SCGI header block ends with a name and no value (an odd number of NUL-terminated strings).`)
    if (nameEnd === at) return ScgiHeaders(`The SCGI header block has an empty name at byte ${at}.`)
    const name = block.toString('latin1', at, nameEnd)
    if (names.has(name) && !name.startsWith('HTTP_')) {
      return ScgiHeaders(`The SCGI header block names ${JSON.stringify(name)} twice (is it set by an scgi_param and by the scgi_params file it includes?).`)
    }
    names.add(name)
    pairs.push([name, block.toString(cgiParamEncoding(name), nameEnd + 1, valueEnd)])
    at = valueEnd + 1
  }
  const [first] = pairs
  if (first![0] !== 'CONTENT_LENGTH') return ScgiContentLength(`The first SCGI header is ${JSON.stringify(first![0])}; it must be CONTENT_LENGTH.`)
  if (!/^[0-9]+$/.test(first![1])) return ScgiContentLength(`CONTENT_LENGTH is ${JSON.stringify(first![1])}, not a length in ASCII digits.`)
  const version = pairs.find(([name]) => name === 'SCGI')
  if (version?.[1] !== '1') return ScgiVersion(version ? `SCGI is ${JSON.stringify(version[1])}; only version 1 exists.` : 'There is no SCGI=1 variable.')
  return pairs
}
