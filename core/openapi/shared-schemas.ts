import type { JsonSchema } from './types.js'

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * The document's `components.schemas`, filled from the `$defs` of the
 * schemas the routes give. A JSON Schema refers to its `$defs` as
 * `#/$defs/Name`, but inside an OpenAPI document `#` is the document, so
 * each definition moves to `#/components/schemas/Name` and its references
 * follow. Two definitions with one name and different content keep both
 * (the second as `Name_2`); equal ones are kept once.
 */
export class SharedSchemas {
  readonly all: Record<string, JsonSchema> = {}
  #roots = 0
  readonly #reserved: ReadonlySet<string>

  /** `reserved`: names the document gives schemas of its own (`Error`), which a route's `$defs` never take. */
  constructor(reserved: Iterable<string> = []) {
    this.#reserved = new Set(reserved)
  }

  /** `schema` ready to sit in an operation: no `$schema`, no `$defs`, references pointing at components. */
  adopt(schema: JsonSchema): JsonSchema {
    const { $schema: _dialect, $defs, ...rest } = schema as JsonSchema & { $defs?: Record<string, JsonSchema> }
    const renamed = new Map<string, string>()
    for (const name of Object.keys($defs ?? {})) renamed.set(name, this.#freeName(name, $defs![name]))
    const selfReferring = JSON.stringify(rest).includes('"$ref":"#"')
    let root: string | undefined
    if (selfReferring) do root = `Schema${++this.#roots}`
    while (this.all[root] !== undefined || this.#reserved.has(root))
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite)
      if (value === null || typeof value !== 'object') return value
      const out: Record<string, unknown> = {}
      for (const [key, inner] of Object.entries(value)) {
        if (key === '$ref' && typeof inner === 'string') out[key] = this.#target(inner, renamed, root)
        else out[key] = rewrite(inner)
      }
      return out
    }
    for (const [name, definition] of Object.entries($defs ?? {})) this.all[renamed.get(name)!] = rewrite(definition) as JsonSchema
    const body = rewrite(rest) as JsonSchema
    if (!root) return body
    this.all[root] = body
    return { $ref: `#/components/schemas/${root}` }
  }

  #target(ref: string, renamed: ReadonlyMap<string, string>, root: string | undefined): string {
    if (ref === '#' && root) return `#/components/schemas/${root}`
    const local = /^#\/\$defs\/(.+)$/.exec(ref)
    const name = local && renamed.get(decodeURIComponent(local[1]!.replace(/~1/g, '/').replace(/~0/g, '~')))
    return name ? `#/components/schemas/${encodeURIComponent(name)}` : ref
  }

  #freeName(name: string, definition: unknown): string {
    // Component names are limited to ^[a-zA-Z0-9._-]+$.
    const base = name.replace(/[^a-zA-Z0-9._-]/g, '_') || 'Schema'
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}_${n}`
      if (this.#reserved.has(candidate)) continue
      const taken = this.all[candidate]
      if (taken === undefined || sameJson(taken, definition)) return candidate
    }
  }
}
