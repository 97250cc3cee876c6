import type { Migration } from 'kysely'
import * as initial from './0001_initial.js'

/** The Kysely configuration's migrations, by name, oldest first. */
export const kyselyMigrations: Record<string, Migration> = { '0001_initial': initial }
