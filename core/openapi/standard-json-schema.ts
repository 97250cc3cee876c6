/**
 * The Standard JSON Schema interface (standardschema.dev/json-schema): a
 * schema that can describe itself as JSON Schema. zod 4.2+ and ArkType have it
 * on every schema; valibot through `toStandardJsonSchema` from
 * `@valibot/to-json-schema`. The types are inlined, as the spec asks.
 */
export interface StandardJsonSchemaV1 {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly jsonSchema: {
      /** The JSON Schema of what the schema accepts. May throw for a target it cannot write. */
      readonly input: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> }) => Record<string, unknown>
      /** The JSON Schema of what it produces. */
      readonly output: (options: { readonly target: string; readonly libraryOptions?: Record<string, unknown> }) => Record<string, unknown>
    }
  }
}

/** Whether `schema` has the Standard JSON Schema interface. */
export function hasJsonSchema(schema: unknown): schema is StandardJsonSchemaV1 {
  const standard = (schema as { '~standard'?: { jsonSchema?: { input?: unknown; output?: unknown } } } | null)?.['~standard']
  return typeof standard?.jsonSchema?.input === 'function' && typeof standard.jsonSchema.output === 'function'
}
