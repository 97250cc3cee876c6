import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { runOrmCase } from './orm.case.js'

const dir = mkdtempSync(join(tmpdir(), 'dovetail-orm-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A folder that does not exist yet: the component creates it on first run.
runOrmCase({ name: 'SQLite (libsql)', url: join(dir, 'not-yet', 'there', 'case.db') })
