import type { InferOutput, StandardSchemaV1 } from '../component/standard-schema.js'
import type { RouteSchemas } from '../slots/router.js'

/**
 * The parameters a path pattern names, each a string: `'/notes/:id'` gives
 * `{ id: string }`, `'/files/*'` gives `{ '*': string }`, a regex parameter
 * `'/n/:id(^\\d+$)'` gives `{ id: string }`. A path whose type is only
 * `string` gives `Record<string, string>`.
 *
 * @example
 * type P = PathParams<'/users/:user/notes/:id'> // { user: string; id: string }
 */
export type PathParams<Path extends string> = string extends Path ? Record<string, string> : Flatten<ParamsOf<Path>>

type ParamsOf<Path extends string> = Path extends `${string}:${infer Rest}`
  ? { [K in ParamName<Rest>]: string } & ParamsOf<AfterParam<Rest>>
  : Path extends `${string}*${string}`
    ? { '*': string }
    : {}

// A parameter name ends at a `/`, `-`, `.`, or `(` (a regex), as the radix router reads it.
type ParamName<S extends string> = S extends `${infer Name}/${string}`
  ? ParamName<Name>
  : S extends `${infer Name}(${string}`
    ? Name
    : S extends `${infer Name}-${string}`
      ? Name
      : S extends `${infer Name}.${string}`
        ? Name
        : S
type AfterParam<S extends string> = S extends `${string}/${infer Rest}` ? `/${Rest}` : ''

type Flatten<T> = { [K in keyof T]: T[K] }

/** What a schema gives after validation, or `never` for a part without one. */
type Out<S> = S extends StandardSchemaV1 ? InferOutput<S> : never

/**
 * `ctx.input` of a route with these schemas: the validated (and transformed)
 * value of each part that has a schema, and nothing else.
 *
 * @example
 * type I = RouteInput<{ body: typeof NoteInput }> // { body: { title: string } }
 */
export type RouteInput<S extends RouteSchemas | undefined> = S extends RouteSchemas
  ? Flatten<{ readonly [K in Exclude<keyof S, 'response'> as S[K] extends StandardSchemaV1 ? K : never]: Out<S[K]> }>
  : {}
