import type { Migration } from 'kysely'
import * as books from './0001_books.js'

/** The migrations, by name, oldest first: a TypeScript project imports them and passes them as migrations.list. */
export const migrations: Record<string, Migration> = { '0001_books': books }
