import { createApp, defineConfig, defineMiddleware, type Middleware } from 'dovetailjs'
import body from 'dovetailjs/components/middleware/body'
import { fileURLToPath } from 'node:url'
import { eta } from 'dovetailjs/components/template/eta'
import * as v from 'valibot'
import { z } from 'zod'

// What middleware puts on ctx.state, declared once: every handler reads it typed.
declare module 'dovetailjs' {
  interface ContextState {
    tenant?: string
  }
}

/** Sets ctx.state.tenant from a header (a stand-in for real tenant resolution). */
export const tenant: Middleware = async (ctx, next) => {
  ctx.state.tenant = ctx.request.headers.get('x-tenant') ?? 'public'
  return next()
}

/** Declares what it adds: a route that uses it reads ctx.state.plan typed, and present. */
export const withPlan = defineMiddleware<{ plan: 'free' | 'paid' }>(async (ctx, next) => {
  ctx.state.plan = ctx.request.headers.get('x-plan') === 'paid' ? 'paid' : 'free'
  return next()
})

export const NoteInput = z.strictObject({
  title: z.string().trim().min(1).max(200),
  tags: z.array(z.string().max(30)).max(10).default([]),
})
export const Note = z.object({ id: z.number(), title: z.string(), tags: z.array(z.string()), tenant: z.string() })
const NoteParams = z.object({ id: z.coerce.number().int().positive() })
const NoteList = z.object({ tag: z.string().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) })

// The same kind of schema in valibot: any Standard Schema library works.
const Comment = v.strictObject({ text: v.pipe(v.string(), v.minLength(1), v.maxLength(500)) })

// A browser form: not strict, since the form may carry fields (a CSRF token) the schema leaves out.
const Signup = z.object({ email: z.email('Enter an email address.'), name: z.string().trim().min(2, 'At least 2 characters.') })

type NoteRecord = z.output<typeof Note>

export async function createValidationApp(environment = 'test') {
  const notes = new Map<number, NoteRecord>()
  let broken = false
  const app = await createApp(
    defineConfig({
      environment,
      components: {
        middleware: [body()],
        template: eta({ views: fileURLToPath(new URL('./views', import.meta.url)) }),
      },
      routes(r) {
        // Options first (Fastify's order): ctx.input.query is { tag?: string; limit: number }.
        r.get('/notes', { name: 'listNotes', schemas: { query: NoteList }, summary: 'List notes', tags: ['notes'] }, (ctx) => {
          const { tag, limit } = ctx.input.query
          const list = [...notes.values()].filter((n) => tag === undefined || n.tags.includes(tag))
          return ctx.json(list.slice(0, limit))
        })
        r.post(
          '/notes',
          { name: 'createNote', use: [tenant], schemas: { body: NoteInput, response: { 201: Note } }, summary: 'Add a note', tags: ['notes'] },
          (ctx) => {
            const id = notes.size + 1
            const note = { id, ...ctx.input.body, tenant: ctx.state.tenant ?? 'public' }
            notes.set(id, note)
            return ctx.json(broken ? { ...note, id: String(id) } : note, { status: 201 })
          },
        )
        // Options last, as before: ctx.input.params.id is a number, ctx.params.id the string routed.
        r.get(
          '/notes/:id',
          (ctx) => {
            const note = notes.get(ctx.input.params.id)
            return note ? ctx.json(note) : ctx.notFound(`No note ${ctx.params.id}`)
          },
          { name: 'note', schemas: { params: NoteParams } },
        )
        r.post('/notes/:id/comments', { schemas: { params: NoteParams, body: Comment } }, (ctx) => ctx.json({ note: ctx.input.params.id, text: ctx.input.body.text }, { status: 201 }))
        r.get('/plan', { use: [withPlan] }, (ctx) => ctx.text(`plan ${ctx.state.plan}`))
        // No schema: path parameters are still typed from the path.
        r.get('/tags/:tag', (ctx) => ctx.text(`tag ${ctx.params.tag}`))
        // A form: invalid input renders signup.eta again with the values sent and the messages, status 422.
        r.get('/signup', (ctx) => ctx.render('signup', { values: {}, errors: {} }))
        r.post('/signup', { schemas: { body: Signup }, onInvalid: 'signup' }, (ctx) => ctx.text(`Welcome, ${ctx.input.body.name}`))
      },
    }),
  )
  return { app, breakResponses: () => void (broken = true) }
}
