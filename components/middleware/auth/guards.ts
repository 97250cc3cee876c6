import { type Context, type Handler, isResponse, type Middleware, type OpenApiNote, openApiNotes, prefersHtml, withOpenApi } from '../../../core/index.js'
import { type AuthUser, currentUser, runtimeOf } from './auth-runtime.js'
import { AuthForbidden, AuthUnauthenticated } from './errors.js'
import { sessionSecurity } from './openapi.js'

/** Answers `undefined` to let the request through, or the response that refuses it. */
type Check = (ctx: Context) => Promise<Response | undefined>

/**
 * A guard is three things, so it reads naturally wherever it goes:
 * - a middleware itself, for a route's or group's `use`
 *   (`r.group('/admin', { use: [requireRole('admin')] }, ...)`);
 * - called with a handler, that handler guarded (`requireUser(handler)`);
 * - called with nothing, a middleware (`requireUser()`), as older code wrote it.
 */
export interface Guard {
  (ctx: Context, next: () => Promise<Response>): Promise<Response>
  (): Middleware
  (handler: Handler): Handler
}

// What app.openapi() shows of a route a guard is on: the session cookie it checks, and its refusals.
const signedInNote: OpenApiNote = { security: sessionSecurity, responses: { 401: 'Not signed in (a browser asking for HTML is sent to the login page instead).' } }
const allowedNote: OpenApiNote = { ...signedInNote, responses: { ...signedInNote.responses, 403: 'Signed in, but without the role or permission this needs.' } }

// `name` is what `dovetail routes` and `explain` show for the guard in a `use` list.
const guard = (check: Check, note: OpenApiNote, name: string): Guard => {
  const middleware: Middleware = async (ctx, next) => (await check(ctx)) ?? next()
  // Told apart by `next`: a middleware gets two arguments, a handler to wrap one and never a second.
  const dual = ((first?: Handler | Context, next?: () => Promise<Response>) => {
    if (typeof next === 'function') return middleware(first as Context, next)
    if (typeof first === 'function') {
      const handler = first
      const guarded: Handler = async (ctx: Context) => (await check(ctx)) ?? handler(ctx)
      return withOpenApi(guarded, ...openApiNotes(handler), note)
    }
    if (first !== undefined) throw new TypeError('A guard takes a handler to wrap, or nothing; to use it as middleware, put the guard itself in use: [guard].')
    return withOpenApi(async (ctx: Context, n: () => Promise<Response>) => middleware(ctx, n), note)
  }) as Guard
  return withOpenApi(Object.defineProperty(dual, 'name', { value: name }), note)
}

/**
 * A visitor who is not signed in: browsers (which prefer HTML) are sent to
 * the login page with `?next=` set to where they were going; API clients get
 * a 401 they can act on.
 */
function notSignedIn(ctx: Context): Response {
  const { loginPath } = runtimeOf(ctx, 'requireUser').settings
  if (prefersHtml(ctx.request.headers.get('accept'))) {
    const url = new URL(ctx.request.url)
    const next = encodeURIComponent(url.pathname + url.search)
    return ctx.redirect(`${loginPath}${loginPath.includes('?') ? '&' : '?'}next=${next}`, 303)
  }
  throw AuthUnauthenticated('Sign in to use this resource.')
}

const forbidden = (what: string): never => {
  // Signed in but not allowed: sending them to the login page again would not help, so browsers get the 403 page too.
  throw AuthForbidden(`You don't have ${what} this page needs.`)
}

const signedIn = async (ctx: Context): Promise<AuthUser | Response> => (await currentUser(ctx)) ?? notSignedIn(ctx)

/**
 * Let only signed-in users through.
 *
 * @example
 * r.get('/account', requireUser(async (ctx) => ctx.render('account', { user: await currentUser(ctx) })))
 */
export const requireUser: Guard = guard(async (ctx) => {
  const user = await signedIn(ctx)
  return isResponse(user) ? user : undefined
}, signedInNote, 'requireUser')

/**
 * Let through signed-in users with at least one of `roles` (from `user.roles`,
 * or the auth option `rolesOf`).
 *
 * @example
 * r.get('/admin', requireRole('admin')(adminHome))
 * r.group('/admin', { use: [requireRole('admin')] }, (admin) => admin.get('/users', listUsers))
 * r.delete('/posts/:id', requireRole(['admin', 'editor'])(deletePost))
 */
export function requireRole(roles: string | readonly string[]): Guard {
  const wanted = typeof roles === 'string' ? [roles] : roles
  return guard(async (ctx) => {
    const user = await signedIn(ctx)
    if (isResponse(user)) return user
    const has = runtimeOf(ctx, 'requireRole').settings.rolesOf(user)
    if (!wanted.some((role) => has.includes(role))) forbidden(`the ${wanted.length === 1 ? `role '${wanted[0]}'` : `roles (one of ${wanted.join(', ')})`}`)
    return undefined
  }, allowedNote, `requireRole(${wanted.join(',')})`)
}

/**
 * Let through signed-in users with every one of `permissions` (from
 * `user.permissions`, or the auth option `permissionsOf`).
 *
 * @example
 * r.get('/reports', requirePermission('reports:read')(showReports))
 */
export function requirePermission(permissions: string | readonly string[]): Guard {
  const wanted = typeof permissions === 'string' ? [permissions] : permissions
  return guard(async (ctx) => {
    const user = await signedIn(ctx)
    if (isResponse(user)) return user
    const has = runtimeOf(ctx, 'requirePermission').settings.permissionsOf(user)
    const missing = wanted.filter((p) => !has.includes(p))
    if (missing.length) forbidden(`the permission${missing.length > 1 ? 's' : ''} ${missing.map((p) => `'${p}'`).join(', ')}`)
    return undefined
  }, allowedNote, `requirePermission(${wanted.join(',')})`)
}
