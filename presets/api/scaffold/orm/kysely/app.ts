import { defineConfig, HttpError } from 'dovetailjs'
import { orderByFrom } from 'dovetailjs/components/orm/kysely'
import { database, databaseUrl, Tables, testDatabaseUrl } from './database.js'
import { NewNote, NoteList, NotePath } from './schemas.js'

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
      let query = ctx.resolve(Tables).selectFrom('note').select(['id', 'text'])
      for (const [column, direction] of Object.entries(orderByFrom(sort, ['id', 'text']))) query = query.orderBy(column as 'id' | 'text', direction)
      return ctx.json(await query.limit(limit).offset(offset).execute())
    })
    r.post('/notes', { name: 'createNote', schemas: { body: NewNote }, summary: 'Add a note', tags: ['notes'] }, async (ctx) => {
      const { text } = ctx.input.body
      const db = ctx.resolve(Tables)
      // Kysely writes at once: the insert is in the table when the select below runs.
      await db.insertInto('note').values({ text }).execute()
      const note = await db.selectFrom('note').select(['id', 'text']).where('text', '=', text).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
      return ctx.json(note, { status: 201 })
    })
    r.get('/notes/:id', { name: 'note', schemas: { params: NotePath }, summary: 'One note', tags: ['notes'] }, async (ctx) => {
      const { id } = ctx.input.params
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
