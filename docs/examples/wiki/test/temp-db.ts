import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

/** A SQLite file in a temp folder of its own, removed after the file's tests. */
export function tempDatabase(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-wiki-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, `${name}.db`)
}
