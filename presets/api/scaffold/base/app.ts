import { defineConfig, HttpError } from 'dovetailjs'
import { Em, orderByFrom } from 'dovetailjs/components/orm/mikro-orm'
import { z } from 'zod'
import { database, databaseUrl, testDatabaseUrl } from './database.js'
import { Note } from './entities.js'

// What the routes take from a request, checked before any of it reaches a query. In a where
// clause an object is an operator ({"$ne": null} matches every row) and an array an $in, so each
// value is a typed scalar, as long as its column at most; strict objects refuse keys a route does
// not name. Path and query values are always strings, so they may be coerced; a JSON body never is.
// A route's schemas run before its handler: input they refuse is a 422 listing each field's path
// and message (RFC 9457 problem details), and the handler never sees it. See the validation docs.
const NotePath = z.strictObject({ id: z.coerce.number().int().min(1).max(2_147_483_647) })
const NoteList = z.strictObject({
  sort: z.string().default('id'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
})
const NewNote = z.strictObject({ text: z.string().trim().min(1, 'must not be empty').max(500) })

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
    r.get('/notes', { name: 'notes', schemas: { query: NoteList }, summary: 'List notes', tags: ['notes'] }, async (ctx) => {
      const { sort, limit, offset } = ctx.input.query
      return ctx.json(await ctx.resolve(Em).find(Note, {}, { orderBy: orderByFrom(sort, ['id', 'text']), limit, offset }))
    })
    r.post('/notes', { name: 'createNote', schemas: { body: NewNote }, summary: 'Add a note', tags: ['notes'] }, async (ctx) => {
      const em = ctx.resolve(Em)
      const note = em.create(Note, { text: ctx.input.body.text })
      await em.flush()
      return ctx.json(note, { status: 201 })
    })
    r.get('/notes/:id', { name: 'note', schemas: { params: NotePath }, summary: 'One note', tags: ['notes'] }, async (ctx) => {
      const { id } = ctx.input.params
      const note = await ctx.resolve(Em).findOne(Note, { id })
      if (!note) throw new HttpError(404, `No note with id ${id}`)
      return ctx.json(note)
    })
  },
  env: {
    // Tests get a database of their own and a quieter log.
    test: { components: { orm: database(testDatabaseUrl()), logger: { use: 'pino', options: { level: 'warn' } } } },
  },
})
