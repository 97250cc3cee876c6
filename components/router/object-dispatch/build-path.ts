import { DovetailError, encodeUrlParam, type UrlParams } from '../../../core/index.js'
import type { NamedPath } from './tree-paths.js'

/**
 * The URL path of a named action in the tree: keys and parameter values
 * percent-encoded (so `a/b` stays one segment, as dispatch decodes it back),
 * the rest of a `_default` (`'*'`) encoded segment by segment, keeping its
 * slashes. The router never sees an empty segment, so a parameter must not be
 * empty and an empty rest adds nothing.
 */
export function buildPath(name: string, named: NamedPath, params: UrlParams = {}): string {
  const pieces: string[] = []
  for (const part of named.parts) {
    const encode = (key: string, value: string) => encodeUrlParam(value, { name, key, route: named.path })
    if (part.kind === 'static') pieces.push(encodeURIComponent(part.value))
    else if (part.kind === 'param') {
      const value = params[part.name]
      if (value === undefined || String(value) === '') {
        throw new DovetailError('DOVETAIL_ERR_ROUTER_MISSING_PARAM', `url('${name}') needs a non-empty value for '${part.name}' (route ${named.path}).`)
      }
      pieces.push(encode(part.name, String(value)))
    } else {
      const rest = String(params['*'] ?? '')
      if (rest !== '') pieces.push(rest.split('/').map((segment) => encode('*', segment)).join('/'))
    }
  }
  return `/${pieces.join('/')}`
}
