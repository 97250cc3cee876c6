// dovetailjs/orm-kit: what ORM components share, public so a third-party ORM
// component reads DATABASE_URL, classifies outages, reports them and keeps
// owned tables exactly as the built-in ones (orm/mikro-orm, orm/kysely) do, and
// offers its apps the same request-input guard (orderByFrom).
// It imports no ORM and no driver.
export { OrmCli, OrmConfig, OrmInput, OrmNotStarted, OrmPackageMissing, OrmTableOwned } from '../errors/codes.js'
export { type Connection, defaultSqliteFile, locationOf, openFailed, redact, resolveConnection } from './connection.js'
export { driverMessage, type Outage, outageOf } from './outage.js'
export { OutageLog, type OutageLogOptions } from './outage-log.js'
export { OwnedTables } from './owned-tables.js'
export { RecentlyUsed } from './recently-used.js'
export { type OrderByFields, orderByFrom, type SortDirection } from './order-by-from.js'
export { type DbCliExtensions, type DbCliIo, runDbCli, shownPath } from './db-cli.js'
