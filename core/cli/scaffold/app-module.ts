import { traitsOf, type ProjectChoices } from './choices.js'
import { presetComponents } from './preset-needs.js'

/** What each preset brings, worded to fit the comment in app.ts. */
const presetSummaries: Readonly<Record<string, string>> = {
  minimal: 'a container, a router and a server',
  api: 'a JSON API (logs, a database, CORS, JSON errors)',
  fullstack: 'a site (templates, a database, sessions, CSRF, auth)',
}

const importLines = (imports: ReadonlyArray<readonly [string, readonly string[]]>): string =>
  imports
    .filter(([, names]) => names.length > 0)
    .map(([from, names]) => `import { ${names.join(', ')} } from '${from}'`)
    .join('\n')

/**
 * `app.ts`: the project's config, default-exported so `dovetail info`,
 * `dovetail db` and the server all read the same one.
 *
 * @example
 * appModule({ name: 'shop', preset: 'minimal', container: 'awilix', template: undefined, now: new Date() })
 */
export function appModule(choices: ProjectChoices): string {
  const t = traitsOf(choices)
  const { template } = choices
  const usesPaths = t.hasOrm || template !== undefined
  const dovetail = ['defineConfig', ...(t.fullstack ? ['type Context'] : []), ...(t.hasOrm && !t.fullstack ? ['HttpError'] : [])]
  const imports = importLines([
    ['node:crypto', t.fullstack ? ['randomBytes'] : []],
    ['node:url', usesPaths ? ['fileURLToPath'] : []],
    ['dovetailjs', dovetail],
    ['dovetailjs/components/logger/pino', t.hasPino ? ['pinoLogger'] : []],
    ['dovetailjs/components/middleware/auth', t.fullstack ? ['UserLoader'] : []],
    ['dovetailjs/components/middleware/body', t.fullstack ? ['readForm'] : t.hasOrm ? ['readJson'] : []],
    ['dovetailjs/components/middleware/session', t.fullstack ? ['sessionMiddleware'] : []],
    ['dovetailjs/components/middleware/static', t.fullstack ? ['serveStatic'] : []],
    ['dovetailjs/components/orm/mikro-orm', t.hasOrm ? ['Em', 'mikroOrm'] : []],
    [`dovetailjs/components/template/${template}`, template ? [template] : []],
    ['./entities.js', t.hasOrm ? ['Note'] : []],
  ])

  const helpers: string[] = []
  if (usesPaths) {
    helpers.push(`/** A path next to this file, wherever the process was started from. */
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))`)
  }
  if (t.fullstack) {
    helpers.push(`/**
 * The keys signing the session cookie, newest first. Set SESSION_SECRET (32 or
 * more random characters: openssl rand -base64 48) wherever the app runs for
 * real; without it, development signs with a key made at each start, so a
 * restart signs everyone out.
 */
function sessionSecrets(): string[] {
  if (process.env.SESSION_SECRET) return [process.env.SESSION_SECRET]
  if (process.env.NODE_ENV === 'production') throw new Error('Set SESSION_SECRET: 32 or more random characters, the same for every process of the app.')
  return [randomBytes(32).toString('base64url')]
}`)
  }
  if (t.hasOrm) {
    helpers.push(`/**
 * The database: SQLite in ./data/app.db unless DATABASE_URL names another
 * (postgresql://…, mysql://…). \`npm run db:migrate\` creates the tables.
 */
const database = (url?: string) => mikroOrm({ entities: [Note], migrations: { path: here('./migrations') }, url })`)
  }
  if (t.fullstack) {
    helpers.push(`/** The home page: the notes, newest first, and the form that adds one. */
async function home(ctx: Context, error?: string): Promise<Response> {
  const notes = await ctx.resolve(Em).find(Note, {}, { orderBy: { id: 'desc' } })
  return ctx.render('index', { title: ${quote(choices.name)}, notes, error }, { status: error ? 422 : 200 })
}`)
  }

  const components: string[] = []
  if (t.containerOverride) components.push(`container: '${choices.container}', // in place of the preset's ${presetContainer(choices)}`)
  if (template) components.push(`template: ${template}({ views: here('./views') }),`)
  if (t.hasOrm) components.push('orm: database(),')
  if (t.fullstack) {
    components.push(`middleware: {
  replace: {
    static: serveStatic({ root: here('./public'), prefix: '/static' }),
    session: sessionMiddleware({ secrets: sessionSecrets() }),
  },
},`)
  }

  const sections: string[] = [`preset: '${choices.preset}',`]
  if (components.length) sections.push(`components: {\n${indent(components.join('\n'), 2)}\n},`)
  if (t.fullstack) {
    sections.push(`register(c) {
  // No accounts yet, so nobody is signed in. To add them, load your users here,
  // e.g. (id) => em.findOne(User, { id: Number(id) }), and see the auth middleware's docs.
  c.value(UserLoader, () => undefined)
},`)
  }
  sections.push(`routes(r) {\n${indent(routes(choices), 2)}\n},`)
  if (t.hasOrm) {
    sections.push(`env: {
  // Tests get a database of their own, in memory, and a quieter log.
  test: { components: { orm: database(':memory:')${t.hasPino ? ", logger: pinoLogger({ level: 'warn' })" : ''} } },
},`)
  }

  return `${imports}

${helpers.map((h) => `${h}\n\n`).join('')}/**
 * The app: the ${choices.preset} preset, that is ${presetSummaries[choices.preset]},
 * and what is this app's own. \`npm run info\` lists the component in each slot.
 */
export default defineConfig({
${indent(sections.join('\n'), 2)}
})
`
}

function routes(choices: ProjectChoices): string {
  const t = traitsOf(choices)
  const name = quote(choices.name)
  if (t.fullstack) {
    return `r.get('/', (ctx) => home(ctx), { name: 'home' })
r.post('/notes', async (ctx) => {
  const text = (await readForm(ctx)).get('text')?.trim() ?? ''
  if (!text) return home(ctx, 'Write something first.')
  // Saved when the handler answers below 400: the preset's transaction middleware commits then.
  ctx.resolve(Em).create(Note, { text })
  return ctx.redirect(ctx.url('home'), 303)
}, { name: 'notes' })`
  }
  const lines: string[] = []
  if (choices.template) lines.push(`r.get('/', (ctx) => ctx.render('index', { title: ${name} }))`)
  if (t.hasOrm) {
    lines.push(`r.get('/notes', async (ctx) => ctx.json(await ctx.resolve(Em).find(Note, {}, { orderBy: { id: 'asc' } })))
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
  if (!note) throw new HttpError(404, \`No note with id \${ctx.params.id}\`)
  return ctx.json(note)
})`)
  } else {
    if (!choices.template) {
      lines.push(`r.get('/', (ctx) =>
  ctx.html(\`<!doctype html><title>${choices.name}</title><h1>${choices.name} is running</h1><p>Try <a href="\${ctx.url('hello', { name: 'world' })}">/hello/world</a>.</p>\`),
)`)
    }
    lines.push(`r.get('/hello/:name', (ctx) => ctx.json({ message: \`Hello, \${ctx.params.name}!\` }), { name: 'hello' })`)
  }
  return lines.join('\n')
}

/** A string literal in the generated code. */
const quote = (text: string): string => `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`

const presetContainer = (choices: ProjectChoices): string =>
  presetComponents[choices.preset].find((n) => n.startsWith('container/'))!.slice('container/'.length)

const indent = (text: string, spaces: number): string =>
  text
    .split('\n')
    .map((line) => (line ? ' '.repeat(spaces) + line : line))
    .join('\n')
