/*
 * Type fixtures for route schemas and typed ctx.state, checked by the project's typecheck
 * (`tsc -p tsconfig.json`): each `@ts-expect-error` line must be an error, or tsc fails on the
 * unused directive. test/validation/types.test.ts also compiles must-fail.ts alone and expects
 * errors, so a change that makes everything `any` fails there too.
 */
import { z } from 'zod'
import * as v from 'valibot'
import { type Context, type ContextState, defineConfig, defineMiddleware, type Middleware, type RouteContext } from 'dovetailjs'
import { expose } from 'dovetailjs/components/router/object-dispatch'

declare module 'dovetailjs' {
  interface ContextState {
    /** Set by an auth middleware (fixture). */
    fixtureUser?: { id: number; name: string }
  }
}

// Hono's c.var: a middleware that declares what it adds; routes that use it read it typed and present.
const withAccount = defineMiddleware<{ account: { id: number; plan: 'free' | 'paid' } }>(async (ctx, next) => {
  ctx.state.account = { id: 7, plan: 'paid' }
  // @ts-expect-error 'gold' is not a plan
  ctx.state.account = { id: 7, plan: 'gold' }
  return next()
})
const timing: Middleware = async (_ctx, next) => next()

const NoteInput = z.strictObject({ title: z.string(), done: z.boolean().default(false) })
const NoteParams = z.object({ id: z.coerce.number() })
const Search = v.object({ q: v.string(), page: v.optional(v.string()) })

export default defineConfig({
  routes(r) {
    // Path parameters typed from the path string, without a schema.
    r.get('/users/:user/notes/:id', (ctx) => {
      const user: string = ctx.params.user
      const id: string = ctx.params.id
      // @ts-expect-error the path has no :slug
      ctx.params.slug
      return ctx.text(`${user}/${id}`)
    })
    // Options first, Fastify's order; the body typed from a zod schema (output: done is a boolean).
    r.post('/notes', { schemas: { body: NoteInput }, summary: 'Create a note' }, (ctx) => {
      const title: string = ctx.input.body.title
      const done: boolean = ctx.input.body.done
      // @ts-expect-error the body schema has no field 'author'
      ctx.input.body.author
      // @ts-expect-error the route has no query schema
      ctx.input.query
      return ctx.json({ title, done }, { status: 201 })
    })
    // Options last; params from a schema (a number after coercion) and from the path (a string).
    r.get(
      '/notes/:id',
      (ctx) => {
        const id: number = ctx.input.params.id
        const raw: string = ctx.params.id
        // @ts-expect-error a number is not a string
        const wrong: string = ctx.input.params.id
        return ctx.json({ id, raw, wrong })
      },
      { schemas: { params: NoteParams } },
    )
    // A valibot query schema.
    r.get('/search', { schemas: { query: Search } }, (ctx) => {
      const q: string = ctx.input.query.q
      const page: string | undefined = ctx.input.query.page
      // @ts-expect-error the query schema has no field 'sort'
      ctx.input.query.sort
      return ctx.json({ q, page })
    })
    // ctx.state: declared fields typed, others unknown.
    r.get('/me', (ctx) => {
      const name: string | undefined = ctx.state.fixtureUser?.name
      // @ts-expect-error fixtureUser.id is a number
      const id: string | undefined = ctx.state.fixtureUser?.id
      const other: unknown = ctx.state.somethingElse
      return ctx.json({ name, id, other })
    })
    // Typed middleware in use: its fields flow to the handler, beside a plain middleware and a schema.
    r.post('/accounts/:id/notes', { use: [timing, withAccount], schemas: { body: NoteInput } }, (ctx) => {
      const plan: 'free' | 'paid' = ctx.state.account.plan
      const title: string = ctx.input.body.title
      // @ts-expect-error the account has no field 'email'
      ctx.state.account.email
      return ctx.json({ plan, title, id: ctx.params.id })
    })
    // Without that middleware the field is not there.
    r.get('/accounts', (ctx) => {
      // @ts-expect-error no middleware of this route declares 'account'
      const id: number = ctx.state.account.id
      return ctx.json({ id })
    })
    // Controller actions still work, typed or not.
    r.get('/typed/:id', [NoteController, 'show'])
    r.post('/typed', [NoteController, 'create'], { schemas: { body: NoteInput } })
  },
})

class NoteController {
  show(ctx: RouteContext<'/typed/:id'>): Response {
    return new Response(ctx.params.id)
  }
  create(ctx: RouteContext<'/typed', { body: typeof NoteInput }>): Response {
    return new Response(ctx.input.body.title)
  }
}

// object-dispatch: expose() with schemas; a plain Context handler works as before.
export const root = {
  index: expose((ctx: Context) => ctx.text('home')),
  notes: expose((ctx) => ctx.text('notes'), { methods: ['POST'], schemas: { body: NoteInput }, tags: ['notes'] }),
}

// A middleware writes a declared field with its type.
export const auth: Middleware = async (ctx, next) => {
  ctx.state.fixtureUser = { id: 1, name: 'Ada' }
  // @ts-expect-error the declared field's id is a number
  ctx.state.fixtureUser = { id: '1', name: 'Ada' }
  return next()
}

export type Declared = ContextState['fixtureUser']

class NotAController {
  helper(count: number): Response {
    return new Response(String(count))
  }
}
export const refused = defineConfig({
  routes(r) {
    // @ts-expect-error helper takes a number, not a context: no action
    r.get('/x', [NotAController, 'helper'])
  },
})
