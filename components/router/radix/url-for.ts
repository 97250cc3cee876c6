import { DovetailError, encodeUrlParam, type UrlParams } from '../../../core/index.js'

const paramPattern = /(\/?):([A-Za-z0-9_]+)(\([^)]*\))?(\?)?/g

/**
 * Build a path from a find-my-way pattern. find-my-way matches but does not
 * build URLs, so this is ours: `:name` (with an optional regex or `?`) takes an
 * encoded value, `*` takes the rest of the path with each segment encoded.
 */
export function urlFor(name: string, pattern: string, params: UrlParams = {}): string {
  const value = (key: string): string | undefined => {
    const v = params[key]
    return v === undefined ? undefined : String(v)
  }
  const encode = (key: string, v: string): string => encodeUrlParam(v, { name, key, route: pattern })
  let path = pattern
    .replace(/::/g, '\u0000')
    .replace(paramPattern, (_all, slash: string, key: string, _regex, optional: string | undefined) => {
      const v = value(key)
      if (v === undefined) {
        if (optional) return ''
        throw new DovetailError('DOVETAIL_ERR_ROUTER_MISSING_PARAM', `url('${name}') needs a value for '${key}' (route ${pattern}).`)
      }
      return `${slash}${encode(key, v)}`
    })
  if (path.includes('*')) {
    const rest = value('*') ?? ''
    path = path.replace('*', rest.split('/').map((segment) => encode('*', segment)).join('/'))
  }
  return path.replace(/\u0000/g, ':') || '/'
}
