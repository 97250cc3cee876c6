import { createError } from '../../../core/index.js'

// The generic ORM codes (CONFIG, NOT_STARTED, PACKAGE_MISSING, CLI, TABLE_OWNED, INPUT) are the core's,
// thrown through dovetailjs/orm-kit by every ORM component; re-exported here as they always were.
export { OrmCli, OrmConfig, OrmInput, OrmNotStarted, OrmPackageMissing, OrmTableOwned } from '../../../core/orm-kit/index.js'

// The codes orm/mikro-orm owns. Each has a row under orm/mikro-orm in
// docs/errors.md; a test checks both ways.
export const OrmMigrationNotPortable = createError('DOVETAIL_ERR_ORM_MIGRATION_NOT_PORTABLE', 'migration:create found changes it cannot write as one migration for SQLite, PostgreSQL and MySQL/MariaDB; it wrote nothing and listed each change with what to do.')

/**
 * Every error code orm/mikro-orm raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/orm/mikro-orm'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_ORM_MIGRATION_NOT_PORTABLE']
 */
export const errorCodes = Object.freeze([OrmMigrationNotPortable])
