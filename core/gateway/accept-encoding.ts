/**
 * The coding to use for a response, from the request's `Accept-Encoding`, or
 * `undefined` to send it as is. `preferred` lists the codings on offer, best
 * first: a client's q-value wins, and on a tie the earlier one in `preferred`
 * does, so `Accept-Encoding: gzip, br` still gets brotli when brotli is listed first.
 * `*` stands for every coding the header does not name; `q=0` refuses one.
 *
 * Public so every middleware negotiates alike: the compression middleware picks
 * a coding to compress with, the static middleware a precompressed sibling.
 *
 * @example
 * negotiateEncoding('gzip;q=1, br;q=0.5', ['br', 'gzip']) // 'gzip'
 * negotiateEncoding('gzip, br', ['br', 'gzip'])           // 'br'
 * negotiateEncoding(null, ['br', 'gzip'])                 // undefined
 */
export function negotiateEncoding<C extends string>(header: string | null, preferred: readonly C[]): C | undefined {
  if (!header) return undefined
  const weights = parseAcceptEncoding(header)
  let best: C | undefined
  let bestQ = 0
  for (const coding of preferred) {
    const q = weights.get(coding) ?? weights.get('*') ?? 0
    // Strictly greater: on a tie the earlier (preferred) coding stays.
    if (q > bestQ) {
      best = coding
      bestQ = q
    }
  }
  return best
}

/** Each named coding with its q-value; entries with a malformed q-value are dropped. */
function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>()
  for (const entry of header.split(',')) {
    const [rawName, ...params] = entry.split(';')
    let name = rawName!.trim().toLowerCase()
    if (!name) continue
    if (name === 'x-gzip') name = 'gzip'
    let q = 1
    for (const param of params) {
      const match = /^\s*q\s*=\s*(\S*)\s*$/i.exec(param)
      if (!match) continue
      // RFC 9110 qvalue: 0 to 1 with at most three decimals; anything else voids the entry.
      q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(match[1]!) ? Number(match[1]) : Number.NaN
    }
    if (Number.isNaN(q)) continue
    // A coding named twice keeps its highest weight.
    weights.set(name, Math.max(q, weights.get(name) ?? 0))
  }
  return weights
}
