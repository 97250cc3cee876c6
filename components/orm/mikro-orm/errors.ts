import { createError } from '../../../core/index.js'

// The generic ORM codes (CONFIG, NOT_STARTED, PACKAGE_MISSING, CLI, TABLE_OWNED) are the core's,
// thrown through dovetailjs/orm-kit by every ORM component; re-exported here as they always were.
export { OrmCli, OrmConfig, OrmNotStarted, OrmPackageMissing, OrmTableOwned } from '../../../core/orm-kit/index.js'

// The codes orm/mikro-orm owns. Each has a row under orm/mikro-orm in
// docs/errors.md; a test checks both ways.
// A request error, not a boot one: a sort field (or another identifier) the client sent that the
// route's input guard (orderByFrom) refused before any query was built. What MikroORM itself
// refuses mid-query stays a 500; docs/orm.md#request-input says why.
export const OrmInput = createError('DOVETAIL_ERR_ORM_INPUT', '400: a sort order from the request names a field the route does not allow, names one twice, or is not a string (orderByFrom); no query was run.', 400)
export const OrmMigrationNotPortable = createError('DOVETAIL_ERR_ORM_MIGRATION_NOT_PORTABLE', 'migration:create found changes it cannot write as one migration for SQLite, PostgreSQL and MySQL/MariaDB; it wrote nothing and listed each change with what to do.')

/**
 * Every error code orm/mikro-orm raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/orm/mikro-orm'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_ORM_MIGRATION_NOT_PORTABLE', 'DOVETAIL_ERR_ORM_INPUT']
 */
export const errorCodes = Object.freeze([OrmMigrationNotPortable, OrmInput])
