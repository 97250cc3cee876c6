import { createError } from '../../../core/index.js'

// The codes orm/kysely owns; the generic ORM codes (DOVETAIL_ERR_ORM_CONFIG, …) are the core's,
// thrown through dovetailjs/orm-kit. Each has a row under orm/kysely in docs/errors.md.
export const OrmMigrationLoad = createError(
  'DOVETAIL_ERR_ORM_MIGRATION_LOAD',
  'A migration module in migrations.folder could not be imported (a .ts file under plain Node), or exports no up(db) function.',
)

/**
 * Every error code orm/kysely raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/orm/kysely'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_ORM_MIGRATION_LOAD']
 */
export const errorCodes = Object.freeze([OrmMigrationLoad])
