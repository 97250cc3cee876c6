import { RouterInvalidParam } from '../errors/codes.js'

/** Which `url()` call a parameter value belongs to, for the error message. */
export interface UrlParamSite {
  /** The route's name, as given to `url()`. */
  name: string
  /** The parameter's name (`'*'` for a wildcard's rest). */
  key: string
  /** The route's pattern or path, as its router shows it. */
  route: string
}

/**
 * Percent-encode one path segment of a generated URL, for any router's `url()`.
 * Unlike `encodeURIComponent` alone it also encodes `*` (a router that finds
 * wildcards by `*` would take the value's own for one) and turns the URIError
 * of a lone UTF-16 surrogate, which no URL can carry, into
 * `DOVETAIL_ERR_ROUTER_INVALID_PARAM` naming the route and parameter, as the
 * router kit expects.
 *
 * @example
 * encodeUrlParam('a b*', { name: 'page', key: 'slug', route: '/pages/:slug' }) // 'a%20b%2A'
 */
export function encodeUrlParam(value: string, site: UrlParamSite): string {
  try {
    return encodeURIComponent(value).replaceAll('*', '%2A')
  } catch (error) {
    throw RouterInvalidParam(
      `url('${site.name}') was given a value for '${site.key}' that no URL can carry (a lone UTF-16 surrogate, e.g. from cutting a string inside an emoji) (route ${site.route}).`,
      { cause: error },
    )
  }
}
