export interface SegmentLimits {
  /** A longer segment (as sent, still encoded) matches nothing. */
  maxParamLength: number
  /** A path with more segments matches nothing. */
  maxSegments: number
}

/**
 * The decoded segments of a path as the router receives it (still
 * percent-encoded, without the query): `/pages/a%20b%2Fc` is `['pages', 'a b/c']`,
 * each segment decoded on its own so an encoded slash stays inside its segment,
 * as the radix router decodes parameters. `/` is no segment at all.
 *
 * Undefined, so the path matches nothing in the tree, when a segment is empty
 * (`/pages/`, `//pages`: one address per page, as the radix router is strict
 * about slashes by default), badly encoded (`%ZZ`, a broken UTF-8 sequence),
 * or beyond the limits.
 */
export function decodeSegments(path: string, limits: SegmentLimits): string[] | undefined {
  if (path === '/') return []
  if (!path.startsWith('/')) return undefined
  const raw = path.slice(1).split('/', limits.maxSegments + 1)
  if (raw.length > limits.maxSegments) return undefined
  const segments: string[] = []
  for (const segment of raw) {
    if (segment === '' || segment.length > limits.maxParamLength) return undefined
    try {
      segments.push(decodeURIComponent(segment))
    } catch {
      return undefined
    }
  }
  return segments
}
