/**
 * Media types worth compressing: text and text-like formats. An allow-list
 * rather than a deny-list, so an unknown binary type (or one that is already
 * compressed: images, video, audio, zip, gzip, woff2, …) is left alone.
 * `text/event-stream` is excluded: events must reach the client one by one,
 * and proxies that see an encoded event stream tend to buffer it.
 */
const compressibleType =
  /^(?:text\/(?!event-stream$)[a-z0-9.+-]+|application\/(?:json|javascript|ecmascript|x-javascript|xml|xhtml\+xml|rss\+xml|atom\+xml|wasm|graphql|x-ndjson|ndjson|x-www-form-urlencoded|vnd\.ms-fontobject|x-font-ttf|font-sfnt|[a-z0-9.-]+\+(?:json|xml))|image\/(?:svg\+xml|x-icon|vnd\.microsoft\.icon|bmp)|font\/(?:ttf|otf|collection))$/

/**
 * Whether a `Content-Type` header value names a type worth compressing.
 *
 * @example
 * isCompressible('text/html; charset=utf-8') // true
 * isCompressible('image/png')                // false
 */
export function isCompressible(contentType: string | null): boolean {
  if (!contentType) return false
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase()
  return compressibleType.test(essence)
}
