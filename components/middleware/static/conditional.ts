import type { Stats } from 'node:fs'
import { ifNoneMatch } from '../../../core/index.js'

/**
 * A strong validator from size and modification time (as nginx does), with the
 * content coding appended for a precompressed variant, so each representation
 * has its own tag. Strong, so `If-Range` can use it; the compression middleware
 * weakens it if it re-encodes the body.
 */
export function etagFor(stats: Stats, coding?: string): string {
  const tag = `${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}`
  return `"${coding ? `${tag}-${coding}` : tag}"`
}

/**
 * Whether the request's preconditions hold (RFC 9110 §13.2.2, steps 1-2): `If-Match`
 * (strong comparison, so a weak tag never matches; `*` matches any existing file) when
 * present, else `If-Unmodified-Since` (to the second; an invalid date is ignored).
 * When they do not, the answer is 412, before `If-None-Match`, `If-Modified-Since` and ranges.
 */
export function preconditionsHold(request: Request, etag: string, mtimeMs: number): boolean {
  const ifMatch = request.headers.get('if-match')
  if (ifMatch !== null) {
    if (ifMatch.trim() === '*') return true
    return ifMatch.split(',').some((tag) => tag.trim() === etag)
  }
  const since = Date.parse(request.headers.get('if-unmodified-since') ?? '')
  if (Number.isNaN(since)) return true
  return Math.floor(mtimeMs / 1000) * 1000 <= since
}

/**
 * Whether the client's cached copy is current: `If-None-Match` (weak comparison,
 * `*` matches) when present, else `If-Modified-Since` (to the second).
 */
export function isFresh(request: Request, etag: string, mtimeMs: number): boolean {
  const noneMatch = request.headers.get('if-none-match')
  if (noneMatch !== null) return ifNoneMatch(noneMatch, etag)
  const since = Date.parse(request.headers.get('if-modified-since') ?? '')
  if (Number.isNaN(since)) return false
  return Math.floor(mtimeMs / 1000) * 1000 <= since
}

/**
 * Whether a `Range` may be honoured: no `If-Range`, or one that still names this
 * representation (a strong ETag match, or exactly its `Last-Modified` date).
 */
export function ifRangeAllows(request: Request, etag: string, lastModified: string): boolean {
  const ifRange = request.headers.get('if-range')
  if (ifRange === null) return true
  const value = ifRange.trim()
  if (value.startsWith('W/')) return false
  if (value.startsWith('"')) return value === etag
  return value === lastModified
}
