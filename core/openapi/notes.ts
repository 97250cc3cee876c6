import type { Token } from '../container/token.js'
import type { OpenApiSecurityScheme } from './types.js'

/** How a note reaches the container: the app's `resolve`, when the document is made. */
export type OpenApiResolve = <T>(token: Token<T>) => T

/**
 * A security scheme a guard checks: its name under
 * `components.securitySchemes`, its definition, and the scopes it needs.
 */
export interface OpenApiSecurityNote {
  /** The scheme's name in the document (`session`); two notes with one name must define the same scheme. */
  name: string
  /**
   * The scheme, or a function of the app's container that works it out when
   * the document is made (the session cookie's configured name, say).
   */
  scheme: OpenApiSecurityScheme | ((resolve: OpenApiResolve) => OpenApiSecurityScheme)
  /** OAuth2 / OpenID scopes; none for other schemes. */
  scopes?: readonly string[]
}

/**
 * What a middleware or a handler adds to the OpenAPI operation of each route
 * it guards: the security scheme it checks and the refusals it answers with.
 */
export interface OpenApiNote {
  security?: OpenApiSecurityNote
  /** Statuses it may answer with, and what they mean: `{ 401: 'Not signed in' }`. Documented with the app's error body. */
  responses?: Readonly<Record<number, string>>
}

// A registered symbol, so that two copies of dovetailjs in one app (a component's own) read each other's notes.
const notesKey = Symbol.for('dovetailjs.openapi.notes')

type Noted = { [notesKey]?: readonly OpenApiNote[] }

/**
 * Mark a middleware or handler with what it adds to the OpenAPI operation of
 * the routes it runs on (a guard's security scheme, its 401), and return it.
 * `app.openapi()` reads the notes of a route's handler, whose `use`
 * middleware `routes(r)` carries onto it; wrapping a handler in a guard keeps
 * the handler's own notes when the guard calls {@link openApiNotes} on it.
 *
 * @example
 * const apiKey = { name: 'apiKey', scheme: { type: 'apiKey', in: 'header', name: 'x-api-key' } } as const
 * const requireKey = withOpenApi<Middleware>(async (ctx, next) => (ctx.request.headers.get('x-api-key') === key ? next() : ctx.json({}, { status: 401 })), {
 *   security: apiKey,
 *   responses: { 401: 'No valid API key' },
 * })
 * r.get('/reports', listReports, { use: [requireKey] }) // documented with security [{ apiKey: [] }] and a 401
 */
export function withOpenApi<F extends (...args: never[]) => unknown>(fn: F, ...notes: readonly OpenApiNote[]): F {
  const all = [...openApiNotes(fn), ...notes]
  Object.defineProperty(fn, notesKey, { value: Object.freeze(all), configurable: true, enumerable: false })
  return fn
}

/**
 * The notes {@link withOpenApi} put on a function, oldest first; none for
 * anything else.
 *
 * @example
 * openApiNotes(requireUser()) // [{ security: { name: 'session', … }, responses: { 401: …, 403: … } }]
 */
export function openApiNotes(fn: unknown): readonly OpenApiNote[] {
  return (typeof fn === 'function' && (fn as Noted)[notesKey]) || []
}
