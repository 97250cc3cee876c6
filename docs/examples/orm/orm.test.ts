import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createApp, Orm } from 'dovetailjs'
import { runDbCli } from 'dovetailjs/components/orm/mikro-orm'
import { createTestClient } from 'dovetailjs/testing'
import config from './config.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'dovetail-orm-example-'))
const saved = process.env.DATABASE_URL
let databases = 0
/** The case's own database, an empty SQLite file: the app, the CLI and the tsx process all find it in DATABASE_URL. */
let databaseUrl: string

beforeEach(() => {
  databaseUrl = `file:${join(dir, `library-${++databases}.db`)}`
  process.env.DATABASE_URL = databaseUrl
})

afterAll(() => {
  if (saved === undefined) delete process.env.DATABASE_URL
  else process.env.DATABASE_URL = saved
  rmSync(dir, { recursive: true, force: true })
})

const cli = async (...args: string[]) => {
  const lines: string[] = []
  const code = await runDbCli(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd: root })
  return { code, output: lines.join('\n') }
}

/** The case's database with the example's schema, migrated in this process (the first case migrates as a project's npm script does). */
const migrated = async () => expect(await cli('migrate', '--config', 'docs/examples/orm/config.ts')).toMatchObject({ code: 0 })

describe('the ORM example (docs/orm.md)', () => {
  // A tsx process that loads MikroORM. Budget: 3x the slowest measured with one core busy on the
  // shared 2-core machine, 8.1 s (docs/testing.md).
  it('migrates from the command line, as `npm run db:migrate` would', { timeout: 25_000 }, async () => {
    // The real entry point, in its own process, the way a project's npm script runs it: `dovetail db migrate`,
    // which hands the arguments to the orm component's commands.db.
    const run = promisify(execFile)
    const { stdout, stderr } = await run(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), 'core/cli/bin.ts', 'db', 'migrate', '--config', 'docs/examples/orm/config.ts'],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } },
    )
    expect(stdout).toContain('migrated: Migration20250101000000_shelves')
    // Every migration file in the folder is in the list (a file left out would be warned about here).
    expect(stderr).not.toContain('warning:')

    expect(await cli('migrate', '--config', 'docs/examples/orm/config.ts')).toEqual({ code: 0, output: 'No pending migrations.' })
    expect(await cli('migration:status', '-c', 'docs/examples/orm/config.ts')).toEqual({ code: 0, output: 'executed  Migration20250101000000_shelves' })
  })

  it('serves shelves and books, with 409 for a duplicate ISBN', async () => {
    await migrated()
    const app = await createApp({ ...config, environment: 'test' })
    const client = createTestClient(app)
    const created = await client.post('/shelves', { json: { name: 'Fiction' } })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: number }

    expect((await client.post(`/shelves/${id}/books`, { json: { isbn: '978-0141439518', title: 'Pride and Prejudice' } })).status).toBe(201)
    expect((await client.post(`/shelves/${id}/books`, { json: { isbn: '978-0141441146', title: 'Jane Eyre' } })).status).toBe(201)
    const duplicate = await client.post(`/shelves/${id}/books`, { json: { isbn: '978-0141439518', title: 'Another copy' } })
    expect(duplicate.status).toBe(409)

    expect(await (await client.get(`/shelves/${id}`)).json()).toEqual({
      name: 'Fiction',
      books: [
        { isbn: '978-0141441146', title: 'Jane Eyre' },
        { isbn: '978-0141439518', title: 'Pride and Prejudice' },
      ],
    })
    expect((await client.post('/shelves/999/books', { json: { isbn: 'x', title: 'y' } })).status).toBe(404)
    await app.close()
  })

  it('sorts and pages a shelf, and checks request input before any query (docs/orm.md, Request input)', async () => {
    await migrated()
    const app = await createApp({ ...config, environment: 'test' })
    const client = createTestClient(app)
    const { id } = (await (await client.post('/shelves', { json: { name: 'Fiction' } })).json()) as { id: number }
    for (const [isbn, title] of [['978-0141439587', 'Emma'], ['978-0141441146', 'Jane Eyre']]) {
      expect((await client.post(`/shelves/${id}/books`, { json: { isbn, title } })).status).toBe(201)
    }
    expect(await (await client.get(`/shelves/${id}/books?sort=-title&limit=1`)).json()).toEqual({ books: [{ isbn: '978-0141441146', title: 'Jane Eyre' }] })
    expect(await (await client.post('/books/search', { json: { title: 'Emma' } })).json()).toEqual({ books: [{ isbn: '978-0141439587', title: 'Emma' }] })

    const operator = await client.post('/books/search', { json: { title: { $ne: null } } })
    expect(operator.status).toBe(422)
    expect(await operator.json()).toMatchObject({ error: { message: 'title: Invalid input: expected string, received object' } })
    expect((await client.get('/shelves/abc')).status).toBe(400)
    const sort = await client.get(`/shelves/${id}/books?sort=secret`)
    expect(sort.status).toBe(400)
    expect(await sort.json()).toMatchObject({ error: { code: 'DOVETAIL_ERR_ORM_INPUT', message: expect.stringContaining('Cannot sort by "secret"') } })
    expect((await client.get(`/shelves/${id}/books?limit=-1`)).status).toBe(400)
    await app.close()
  })

  it('explains its command line when called wrong', async () => {
    // A migrated database with a shelf on it, for the refused schema:drop to leave alone.
    await migrated()
    const before = await createApp({ ...config, environment: 'test' })
    expect((await createTestClient(before).post('/shelves', { json: { name: 'Fiction' } })).status).toBe(201)
    await before.close()

    const unknown = await cli('migrat', '--config', 'docs/examples/orm/config.ts')
    expect(unknown.code).toBe(2)
    expect(unknown.output).toContain("Unknown command 'migrat'")
    expect(unknown.output).toContain('Usage:')
    const noConfig = await cli('migrate')
    expect(noConfig.code).toBe(2)
    expect(noConfig.output).toContain('needs --config <module>')
    const drop = await cli('schema:drop', '--config', 'docs/examples/orm/config.ts')
    expect(drop).toMatchObject({ code: 1 })
    expect(drop.output).toContain('--yes')
    // Nothing was dropped: the app still reads its tables.
    const app = await createApp({ ...config, environment: 'test' })
    expect(await app.resolve(Orm).execute('select count(*) as n from shelf')).toEqual([{ n: 1 }])
    await app.close()
  })
})
