import { Migration{{timestamp}}_notes } from './Migration{{timestamp}}_notes.js'

/**
 * Every migration, oldest first: add each new one here after
 * `npm run db:migration -- <name>` writes it.
 *
 * The app hands this list to the ORM instead of letting MikroORM find the
 * files in ./migrations at run time. A file found that way is imported by
 * MikroORM itself, from node_modules, where neither vitest nor tsx load
 * TypeScript for it; imported here, the migrations load like the rest of the
 * app: from TypeScript in development and tests, from dist/ once compiled.
 */
export const migrations = [Migration{{timestamp}}_notes]
