/**
 * What `dovetail new` knows about the presets without loading them. It runs
 * before the project has any of the optional packages (a preset such as
 * `fullstack` imports eta as it loads), so it cannot resolve a preset to ask;
 * these two tables say it as data instead, and `cli.test.ts` checks them
 * against the presets as resolved and against the components' imports.
 */

/** The components each built-in preset puts in its slots, by name. */
export const presetComponents = {
  minimal: ['container/awilix', 'router/radix', 'server/node'],
  api: [
    'container/awilix',
    'router/radix',
    'server/node',
    'logger/pino',
    'orm/mikro-orm',
    'middleware/request-log',
    'middleware/security-headers',
    'middleware/cors',
    'middleware/error-pages',
    'middleware/body',
  ],
  fullstack: [
    'container/awilix',
    'router/radix',
    'server/node',
    'logger/pino',
    'template/eta',
    'orm/mikro-orm',
    'session-store/sql',
    'middleware/request-log',
    'middleware/security-headers',
    'middleware/error-pages',
    'middleware/compression',
    'middleware/static',
    'middleware/session',
    'middleware/csrf',
    'middleware/auth',
    'middleware/body',
    'middleware/transaction',
  ],
} as const satisfies Record<string, readonly string[]>

export type PresetName = keyof typeof presetComponents

export const presetNames = Object.keys(presetComponents) as PresetName[]

/**
 * The optional peer dependencies a component imports, by component name; a
 * component not listed needs only Dovetail's own dependencies. For
 * `orm/mikro-orm`: the SQLite driver (the default database; PostgreSQL and
 * MySQL drivers are added by hand when chosen) and the migrator, which
 * `dovetail db` uses.
 */
export const componentPackages: Readonly<Record<string, readonly string[]>> = {
  'container/inversify': ['inversify'],
  'logger/pino': ['pino'],
  'template/eta': ['eta'],
  'template/nunjucks': ['nunjucks'],
  'orm/mikro-orm': ['@mikro-orm/core', '@mikro-orm/knex', '@mikro-orm/libsql', '@mikro-orm/migrations'],
  'middleware/body': ['busboy'],
  'session-store/redis': ['ioredis'],
}

/**
 * The optional packages a set of components needs, sorted.
 *
 * @example
 * packagesFor(['template/eta', 'middleware/body']) // ['busboy', 'eta']
 */
export function packagesFor(components: readonly string[]): string[] {
  return [...new Set(components.flatMap((name) => componentPackages[name] ?? []))].sort()
}
