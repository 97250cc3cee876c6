import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from 'dovetailjs'
import { runDbCli } from 'dovetailjs/components/orm/kysely'
import { createTestClient } from 'dovetailjs/testing'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'dovetail-orm-kysely-example-'))
const saved = process.env.DATABASE_URL
let databases = 0

beforeEach(() => {
  process.env.DATABASE_URL = `file:${join(dir, `library-${++databases}.db`)}`
})

afterAll(() => {
  if (saved === undefined) delete process.env.DATABASE_URL
  else process.env.DATABASE_URL = saved
  rmSync(dir, { recursive: true, force: true })
})

const db = async (...args: string[]) => {
  const lines: string[] = []
  const code = await runDbCli([...args, '--config', 'docs/examples/orm-kysely/config.ts'], { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd: root })
  return { code, output: lines.join('\n') }
}

describe('the Kysely example (docs/orm.md#kysely)', () => {
  it('migrates with dovetail db, saves a book in a transaction, and answers 409 for a duplicate isbn', async () => {
    expect(await db('migration:status')).toEqual({ code: 0, output: 'pending   0001_books' })
    expect(await db('migrate')).toEqual({ code: 0, output: 'migrated: 0001_books' })
    const app = await createApp((await import('./config.js')).default)
    const client = createTestClient(app)
    expect((await client.post('/books', { json: { isbn: '978-0', title: 'Dune' } })).status).toBe(201)
    const again = await client.post('/books', { json: { isbn: '978-0', title: 'Dune, again' } })
    expect(again.status).toBe(409)
    expect(await (await client.get('/books')).json()).toEqual([{ isbn: '978-0', title: 'Dune' }])
    // An operator object where a string belongs never reaches the insert.
    expect((await client.post('/books', { json: { isbn: { $ne: null }, title: 'Dune' } })).status).toBe(422)
    await app.close()
  })
})
