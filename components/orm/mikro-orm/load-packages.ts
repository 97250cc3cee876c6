import type { Constructor, IDatabaseDriver, MikroORM } from '@mikro-orm/core'
import type { OrmDialect } from '../../../core/index.js'
import { OrmPackageMissing } from './errors.js'
import { libsqlDriverWithStatementCache } from './sqlite-statements.js'

const driverPackages = {
  sqlite: '@mikro-orm/libsql',
  postgresql: '@mikro-orm/postgresql',
  mysql: '@mikro-orm/mysql',
  // MariaDB speaks the MySQL protocol; MikroORM's mysql driver serves both.
  mariadb: '@mikro-orm/mysql',
} as const satisfies Record<OrmDialect, string>

/**
 * Import the driver for a dialect only when it is chosen, so an app on SQLite
 * needs neither pg nor mysql2 installed (they are optional peer dependencies).
 */
export async function loadDriver(dialect: OrmDialect, statementCacheSize = 0): Promise<Constructor<IDatabaseDriver>> {
  const pkg = driverPackages[dialect]
  try {
    switch (dialect) {
      case 'sqlite': {
        const libsql = await import('@mikro-orm/libsql')
        return statementCacheSize > 0 ? libsqlDriverWithStatementCache(libsql, statementCacheSize) : libsql.LibSqlDriver
      }
      case 'postgresql':
        return (await import('@mikro-orm/postgresql')).PostgreSqlDriver
      default:
        return (await import('@mikro-orm/mysql')).MySqlDriver
    }
  } catch (error) {
    throw missing(pkg, `the ${dialect} driver`, error)
  }
}

/** Register MikroORM's migrator on first use; apps that never migrate don't need the package. */
export async function loadMigrator(orm: MikroORM): Promise<void> {
  if (orm.config.getExtension('@mikro-orm/migrator')) return
  try {
    const { Migrator } = await import('@mikro-orm/migrations')
    Migrator.register(orm)
  } catch (error) {
    throw missing('@mikro-orm/migrations', 'migrations', error)
  }
}

function missing(pkg: string, what: string, error: unknown): Error {
  const code = (error as { code?: string })?.code
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return error as Error
  return OrmPackageMissing(
    `Component 'orm/mikro-orm' needs ${pkg} for ${what}, and it is not installed. Run: npm install ${pkg}@^6`,
    { cause: error },
  )
}
