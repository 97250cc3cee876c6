/**
 * The Standard Schema interface (standardschema.dev), which zod, valibot and
 * arktype all implement. The core speaks only this, so a component author picks
 * whichever schema library they like; the types are inlined because the spec
 * asks implementers to copy them rather than depend on a package.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>
    readonly types?: { readonly input: Input; readonly output: Output } | undefined
  }
}

export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> }

export interface StandardIssue {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
}

export type InferInput<S> = S extends StandardSchemaV1<infer I, any> ? I : never
export type InferOutput<S> = S extends StandardSchemaV1<any, infer O> ? O : never

/** `a.b[0].c` from an issue path, or `(root)` for an issue about the whole value. */
export function issuePath(issue: StandardIssue): string {
  if (!issue.path?.length) return '(root)'
  return issue.path
    .map((part) => (typeof part === 'object' ? part.key : part))
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('')
}
