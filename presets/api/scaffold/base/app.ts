import { defineConfig, HttpError } from 'dovetailjs'
import { readJson } from 'dovetailjs/components/middleware/body'
import { Em } from 'dovetailjs/components/orm/mikro-orm'
import { database, databaseUrl, testDatabaseUrl } from './database.js'
import { Note } from './entities.js'

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
    r.get('/notes', async (ctx) => ctx.json(await ctx.resolve(Em).find(Note, {}, { orderBy: { id: 'asc' } })), { name: 'notes' })
    r.post('/notes', async (ctx) => {
      const { text } = (await readJson(ctx)) as { text?: unknown }
      if (typeof text !== 'string' || !text.trim()) throw new HttpError(422, 'text must be a non-empty string')
      const em = ctx.resolve(Em)
      const note = em.create(Note, { text: text.trim() })
      await em.flush()
      return ctx.json(note, { status: 201 })
    })
    r.get('/notes/:id', async (ctx) => {
      const note = await ctx.resolve(Em).findOne(Note, { id: Number(ctx.params.id) })
      if (!note) throw new HttpError(404, `No note with id ${ctx.params.id}`)
      return ctx.json(note)
    })
  },
  env: {
    // Tests get a database of their own and a quieter log.
    test: { components: { orm: database(testDatabaseUrl()), logger: { use: 'pino', options: { level: 'warn' } } } },
  },
})
