import { Migration20250101000000_shelves } from './Migration20250101000000_shelves.js'

/**
 * Every migration, oldest first. The config hands this list to the ORM
 * (`migrations: { list }`) rather than letting MikroORM find the files here at
 * run time, which imports them from inside node_modules, where a `.ts` file
 * does not load. Add each new one that `dovetail db migration:create` writes.
 */
export const migrations = [Migration20250101000000_shelves]
