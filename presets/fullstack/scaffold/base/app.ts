import { randomBytes } from 'node:crypto'
import { type Context, defineConfig } from 'dovetailjs'
import { UserLoader } from 'dovetailjs/components/middleware/auth'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { Em } from 'dovetailjs/components/orm/mikro-orm'
import { z } from 'zod'
import { database, databaseUrl, testDatabaseUrl } from './database.js'
import { Note } from './entities.js'

// A form field is a string, never an operator, but as long as the client likes: the route's schema
// checks it before the handler runs, so a long one is the form again with a message, not a database
// error. Not a strict object: the form also sends its CSRF token (_csrf), which this leaves out.
const NoteForm = z.object({ text: z.string().trim().min(1, 'Write something first.').max(500, 'A note holds at most 500 characters.') })

/**
 * The keys signing the session cookie, newest first. Set SESSION_SECRET (32 or
 * more random characters: openssl rand -base64 48) wherever the app runs for
 * real; without it, development signs with a key made at each start, so a
 * restart signs everyone out.
 */
function sessionSecrets(): string[] {
  if (process.env.SESSION_SECRET) return [process.env.SESSION_SECRET]
  if (process.env.NODE_ENV === 'production') throw new Error('Set SESSION_SECRET: 32 or more random characters, the same for every process of the app.')
  return [randomBytes(32).toString('base64url')]
}

/** The home page: the notes, newest first, and the form that adds one (again, with the text sent and a message, when it was refused). */
async function home(ctx: Context, refused?: { error: string; text: string }): Promise<Response> {
  const notes = await ctx.resolve(Em).find(Note, {}, { orderBy: { id: 'desc' } })
  return ctx.render('index', { title: '{{name}}', notes, error: refused?.error, text: refused?.text ?? '' }, { status: refused ? 422 : 200 })
}

/**
 * The app: the fullstack preset, that is a site (templates in ./views, files
 * in ./public under /static, a database, sessions, CSRF, auth), and what is
 * this app's own. `npm run info` lists the component in each slot. Paths are
 * relative to the project folder, where the npm scripts run.
 */
export default defineConfig({
  preset: '{{preset}}',
  components: {
    container: '{{container}}', // dovetail new --container
    template: { use: '{{template}}', options: { views: './views' } }, // dovetail new --template
    orm: database(databaseUrl()),
    'session-store': {{sessionStoreSpec}}, // dovetail new --session-store
    middleware: {
      replace: { session: sessionMiddleware({ secrets: sessionSecrets() }) },
    },
  },
  register(c) {
    // No accounts yet, so nobody is signed in. To add them, load your users here,
    // e.g. (id) => em.findOne(User, { id: Number(id) }), and see the auth middleware's docs.
    c.value(UserLoader, () => undefined)
  },
  routes(r) {
    r.get('/', (ctx) => home(ctx), { name: 'home' })
    r.post('/notes', {
      name: 'notes',
      schemas: { body: NoteForm },
      // A refused form is the page again, at 422, with what was typed and the message (see the validation docs).
      onInvalid: (ctx, invalid) => home(ctx, { error: invalid.errors.text ?? 'Write a note as text.', text: String(invalid.values.text ?? '') }),
    }, (ctx) => {
      // Saved when the handler answers below 400: the preset's transaction middleware commits then.
      ctx.resolve(Em).create(Note, { text: ctx.input.body.text })
      return ctx.redirect(ctx.url('home'), 303)
    })
  },
  env: {
    // Tests get a database of their own and a quieter log.
    test: { components: { orm: database(testDatabaseUrl()), logger: { use: 'pino', options: { level: 'warn' } } } },
  },
})
