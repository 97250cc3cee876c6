import { createApp, defineConfig, withOpenApi, type Middleware } from 'dovetailjs'
import body from 'dovetailjs/components/middleware/body'
import { auth, requireUser } from 'dovetailjs/components/middleware/auth'
import { openapi } from 'dovetailjs/components/middleware/openapi'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { toStandardJsonSchema } from '@valibot/to-json-schema'
import * as v from 'valibot'
import { z } from 'zod'

// zod 4.2+ schemas describe themselves as JSON Schema as they are.
export const Note = z.object({ id: z.number().int(), title: z.string(), tags: z.array(z.string()) })
const NewNote = z.strictObject({ title: z.string().min(1).max(200), tags: z.array(z.string()).default([]) })

// A valibot schema does through toStandardJsonSchema, which validates just the same.
const Search = toStandardJsonSchema(v.object({ q: v.pipe(v.string(), v.minLength(1), v.description('Words to look for')) }))

// A guard of your own: withOpenApi notes the scheme it checks and the refusal it answers.
const requireApiKey: Middleware = withOpenApi<Middleware>(
  async (ctx, next) => (ctx.request.headers.get('x-api-key') === process.env.REPORTS_KEY ? next() : ctx.json({ error: 'no key' }, { status: 401 })),
  { security: { name: 'apiKey', scheme: { type: 'apiKey', in: 'header', name: 'x-api-key' } }, responses: { 401: 'No valid API key.' } },
)

const notes = [{ id: 1, title: 'First', tags: [] as string[] }]

export const config = defineConfig({
  components: {
    'session-store': memoryStore(),
    middleware: [
      sessionMiddleware({ secrets: [process.env.SESSION_SECRET ?? 'an-example-secret-of-thirty-two-characters'] }),
      auth({ loadUser: () => undefined }),
      openapi({ info: { title: 'Notes', version: '1.0.0' } }), // GET /openapi.json and /docs
      body(),
    ],
  },
  routes(r) {
    r.get('/notes/:id', {
      name: 'getNote',
      summary: 'Read one note',
      tags: ['notes'],
      schemas: { params: z.object({ id: z.coerce.number().int() }), response: { 200: Note } },
    }, (ctx) => ctx.json(notes.find((n) => n.id === ctx.input.params.id) ?? null))
    r.get('/search', { name: 'search', tags: ['notes'], schemas: { query: Search } }, (ctx) => ctx.json(notes.filter((n) => n.title.includes(ctx.input.query.q))))
    r.post('/notes', {
      name: 'createNote',
      summary: 'Create a note',
      tags: ['notes'],
      schemas: { body: NewNote, response: { 201: Note } },
      use: [requireUser()], // documented as security [{ session: [] }] with a 401
    }, (ctx) => ctx.json({ id: 2, ...ctx.input.body }, { status: 201 }))
    r.get('/reports', reports, { name: 'reports', use: [requireApiKey], deprecated: true })
    r.mount('/legacy', () => new Response('another app, not in the document'))
  },
})

function reports(ctx: { json(value: unknown): Response }) {
  return ctx.json([])
}

/** The example app, as its test builds it. */
export const createOpenApiApp = () => createApp({ ...config, environment: 'test' })
