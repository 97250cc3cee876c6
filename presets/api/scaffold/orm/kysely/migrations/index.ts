import type { Migration } from 'kysely'
import * as notes from './0001_notes.js'

/**
 * Every migration by name, oldest first: write a new one as a module with
 * `up(db)` and `down(db)` in this folder, and add it here. Imported by the
 * app, they load like the rest of it: from TypeScript in development and
 * tests, from dist/ once compiled.
 */
export const migrations: Record<string, Migration> = { '0001_notes': notes }
