import { defineConfig, HttpError } from 'dovetailjs'
import { Em, orderByFrom } from 'dovetailjs/components/orm/mikro-orm'
import { database, databaseUrl, testDatabaseUrl } from './database.js'
import { Note } from './entities.js'
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
