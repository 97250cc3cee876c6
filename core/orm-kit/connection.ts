import type { DovetailError } from '../errors/dovetail-error.js'
import { OrmConfig } from '../errors/codes.js'
import type { OrmDialect } from '../slots/orm.js'

/** Where the ORM connects, and which setting said so (named in every error). */
export interface Connection {
  dialect: OrmDialect
  /** SQLite: a file path, `:memory:` or a `libsql://` URL. Others: a client URL. */
  target: string
  source: 'options.url' | 'DATABASE_URL' | 'the default'
}

/** Used when neither `url` nor `DATABASE_URL` says otherwise. */
export const defaultSqliteFile = './data/app.db'

const schemes: Readonly<Record<string, OrmDialect>> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  file: 'sqlite',
  libsql: 'sqlite',
}

// Two letters at least, so a Windows drive (`C:\data\app.db`) reads as a path.
const schemeOf = (url: string): string | undefined => /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase()

/** A URL fit for an error message: the password masked. */
export const redact = (url: string): string => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@')

/** Where a connection goes, fit for logs and errors: a SQLite file path as it is, a URL with its password masked. */
export const locationOf = ({ dialect, target }: Connection): string => (dialect === 'sqlite' ? target : redact(target))

/**
 * The error an ORM component throws when its database can't be opened at
 * start: the database, where (password masked), which setting said so, and
 * the driver's reason, with the original as `cause`.
 */
export function openFailed(connection: Connection, error: unknown): Error {
  return new Error(
    `could not open the ${connection.dialect} database at ${locationOf(connection)} (from ${connection.source}): ${(error as Error)?.message ?? error}. ` +
      `Check that the server is up and the URL (option 'url' or DATABASE_URL) is right.`,
    { cause: error },
  )
}

const sameFamily = (a: OrmDialect, b: OrmDialect): boolean =>
  a === b || ((a === 'mysql' || a === 'mariadb') && (b === 'mysql' || b === 'mariadb'))

/**
 * Pick the dialect and target from the options and the environment:
 * `options.url`, else `DATABASE_URL`, else a SQLite file under `./data/`.
 * `options.driver`, when given, must agree with the URL; nothing falls back
 * silently, so a typo in `DATABASE_URL` stops the app instead of writing to a
 * local file. `component` is named in every error (the ORM component calling it).
 *
 * @example
 * resolveConnection({}, { DATABASE_URL: 'postgres://app@db:5432/app' })
 * // { dialect: 'postgresql', target: 'postgres://app@db:5432/app', source: 'DATABASE_URL' }
 * resolveConnection({ url: 'file:./var/app.db' }) // { dialect: 'sqlite', target: './var/app.db', source: 'options.url' }
 * resolveConnection({ driver: 'postgresql' }, {}, 'orm/kysely') // throws DOVETAIL_ERR_ORM_CONFIG naming orm/kysely
 */
export function resolveConnection(
  options: { driver?: OrmDialect | undefined; url?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
  component = 'orm/mikro-orm',
): Connection {
  const configError = (message: string): DovetailError => OrmConfig(`Component '${component}': ${message}`)
  const url = options.url ?? (env.DATABASE_URL || undefined)
  const source: Connection['source'] = options.url !== undefined ? 'options.url' : url !== undefined ? 'DATABASE_URL' : 'the default'
  if (url === undefined) {
    if (options.driver !== undefined && options.driver !== 'sqlite') {
      throw configError(
        `option 'driver' is '${options.driver}', which needs a connection URL: set option 'url' or the DATABASE_URL environment variable ` +
          `(e.g. ${options.driver === 'postgresql' ? 'postgresql://user:password@127.0.0.1:5432/app' : `${options.driver}://user:password@127.0.0.1:3306/app`}).`,
      )
    }
    return { dialect: 'sqlite', target: defaultSqliteFile, source }
  }
  const scheme = schemeOf(url)
  const dialect = scheme === undefined ? 'sqlite' : schemes[scheme]
  if (dialect === undefined) {
    throw configError(
      `${source === 'options.url' ? "option 'url'" : 'DATABASE_URL'} is '${redact(url)}', whose scheme '${scheme}:' names no supported database. ` +
        `Use postgresql://, mysql://, mariadb://, sqlite:, file: or a file path.`,
    )
  }
  if (options.driver !== undefined && !sameFamily(options.driver, dialect)) {
    throw configError(
      `option 'driver' is '${options.driver}', but ${source === 'options.url' ? "option 'url'" : 'DATABASE_URL'} ('${redact(url)}') is a ${dialect} URL. ` +
        `Make them agree, or drop option 'driver' and let the URL decide.`,
    )
  }
  const chosen = options.driver ?? dialect
  if (chosen === 'sqlite') return { dialect: chosen, target: sqliteTarget(url, scheme), source }
  return { dialect: chosen, target: url, source }
}

function sqliteTarget(url: string, scheme: string | undefined): string {
  if (scheme === 'libsql') return url
  const path = scheme === undefined ? url : url.replace(/^[a-z]+:(\/\/)?/i, '')
  return path === '' ? defaultSqliteFile : path
}
