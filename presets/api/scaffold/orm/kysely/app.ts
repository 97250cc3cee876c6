import { defineConfig, HttpError } from 'dovetailjs'
import { readJson } from 'dovetailjs/components/middleware/body'
import { z } from 'zod'
import { database, databaseUrl, Tables, testDatabaseUrl } from './database.js'

// What the routes take from a request, checked before any of it reaches a query. In a where
// clause an object is an operator ({"$ne": null} matches every row) and an array an $in, so each
// value is a typed scalar, as long as its column at most; strict objects refuse keys a route does
// not name. Path and query values are always strings, so they may be coerced; a JSON body never is.
const NotePath = z.strictObject({ id: z.coerce.number().int().min(1).max(2_147_483_647) })
// The sort orders a client may ask for: a column from this list, '-' first for descending.
const NoteList = z.strictObject({
  sort: z.enum(['id', '-id', 'text', '-text']).default('id'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
})
const NewNote = z.strictObject({ text: z.string().trim().min(1, 'must not be empty').max(500) })

/** `input` as `schema` parses it, or an HttpError: 400 for the URL's parts (path, query string), 422 for a body. */
function valid<T>(schema: z.ZodType<T>, input: unknown, status: 400 | 422): T {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new HttpError(status, result.error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; '))
}

/**
 * The app: the api preset, that is a JSON API (logs, a database, CORS, JSON
 * errors), and what is this app's own. `npm run info` lists the component in
 * each slot.
 */
export default defineConfig({
  preset: '{{preset}}',
  components: {
    container: '{{container}}', // dovetail new --container
    orm: database(databaseUrl()),
  },
  routes(r) {
    r.get('/', (ctx) => ctx.json({ app: '{{name}}', notes: ctx.url('notes') }))
    // GET /notes?sort=-id&limit=20&offset=0: clients sort by the fields listed here only, anything else is a 400.
    r.get('/notes', async (ctx) => {
      const { sort, limit, offset } = valid(NoteList, ctx.query, 400)
      const [column, direction] = sort.startsWith('-') ? [sort.slice(1) as 'id' | 'text', 'desc' as const] : [sort as 'id' | 'text', 'asc' as const]
      return ctx.json(await ctx.resolve(Tables).selectFrom('note').select(['id', 'text']).orderBy(column, direction).limit(limit).offset(offset).execute())
    }, { name: 'notes' })
    r.post('/notes', async (ctx) => {
      const { text } = valid(NewNote, await readJson(ctx), 422)
      const db = ctx.resolve(Tables)
      // Kysely writes at once: the insert is in the table when the select below runs.
      await db.insertInto('note').values({ text }).execute()
      const note = await db.selectFrom('note').select(['id', 'text']).where('text', '=', text).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
      return ctx.json(note, { status: 201 })
    })
    r.get('/notes/:id', async (ctx) => {
      const { id } = valid(NotePath, ctx.params, 400)
      const note = await ctx.resolve(Tables).selectFrom('note').select(['id', 'text']).where('id', '=', id).executeTakeFirst()
      if (!note) throw new HttpError(404, `No note with id ${id}`)
      return ctx.json(note)
    })
  },
  env: {
    // Tests get a database of their own and a quieter log.
    test: { components: { orm: database(testDatabaseUrl()), logger: { use: 'pino', options: { level: 'warn' } } } },
  },
})
