import { createError } from '../../../core/index.js'

// The codes orm/mikro-orm owns. Each has a row under orm/mikro-orm in
// docs/errors.md; a test checks both ways. ORM_NOT_STARTED is here, not in
// the core: the orm contract says nothing of use before start or after close,
// and no contract test checks it, so it is this implementation's promise.
export const OrmConfig = createError('DOVETAIL_ERR_ORM_CONFIG', "The ORM's connection settings (driver, url, DATABASE_URL) are missing, unknown or contradict each other.")
export const OrmNotStarted = createError('DOVETAIL_ERR_ORM_NOT_STARTED', 'The ORM was used before its component started or after app.close().')
export const OrmPackageMissing = createError('DOVETAIL_ERR_ORM_PACKAGE_MISSING', 'The package for the chosen database driver, or for migrations, is not installed.')
export const OrmCli = createError('DOVETAIL_ERR_ORM_CLI', 'The database command line was given an unknown command, a bad flag, or a config module without a config.')
export const OrmTableOwned = createError('DOVETAIL_ERR_ORM_TABLE_OWNED', 'A component declared a table as its own (Orm.ownTables) that another component already declared, or gave a name that is not a plain SQL identifier.')
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
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_ORM_CONFIG', 'DOVETAIL_ERR_ORM_NOT_STARTED', ...]
 */
export const errorCodes = Object.freeze([OrmConfig, OrmNotStarted, OrmPackageMissing, OrmCli, OrmTableOwned, OrmMigrationNotPortable, OrmInput])
