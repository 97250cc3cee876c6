/** A path pattern as OpenAPI writes it, and the parameters in it, in order. */
export interface PathTemplate {
  /** `/users/{id}`, `/files/{*}`. */
  path: string
  params: readonly { name: string; /** A find-my-way regex parameter's expression, as written: `^\d+$`. */ pattern?: string }[]
}

/**
 * A router path pattern as an OpenAPI path template: `:id` becomes `{id}`,
 * `:id(^\d+$)` becomes `{id}` with its expression kept for the parameter's
 * schema, `::` an escaped colon, and `*` the parameter `{*}` (the name
 * `ctx.params` gives it). OpenAPI's template cannot say that `{*}` spans
 * slashes; docs/openapi.md says so.
 *
 * @example
 * pathTemplate('/users/:id/files/*') // { path: '/users/{id}/files/{*}', params: [{ name: 'id' }, { name: '*' }] }
 */
export function pathTemplate(pattern: string): PathTemplate {
  let path = ''
  const params: { name: string; pattern?: string }[] = []
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '*') {
      path += '{*}'
      params.push({ name: '*' })
    } else if (c !== ':') {
      path += c
    } else if (pattern[i + 1] === ':') {
      path += ':'
      i++
    } else {
      // The name runs to the next separator find-my-way knows, as its own parser reads it.
      let j = i + 1
      while (j < pattern.length && !'(-./'.includes(pattern[j]!)) j++
      const name = pattern.slice(i + 1, j)
      let expression: string | undefined
      if (pattern[j] === '(') {
        let depth = 1
        let k = j
        while (depth > 0 && ++k < pattern.length) {
          if (pattern[k] === '\\') k++
          else if (pattern[k] === ')') depth--
          else if (pattern[k] === '(') depth++
        }
        expression = pattern.slice(j + 1, k)
        j = k + 1
      }
      path += `{${name}}`
      params.push(expression === undefined ? { name } : { name, pattern: expression })
      i = j - 1
    }
  }
  return { path, params }
}
