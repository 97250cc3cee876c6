import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { defineConfig, DovetailError, type DovetailConfig, type Routes } from 'dovetailjs'
import { UserLoader } from 'dovetailjs/components/middleware/auth'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { serveStatic } from 'dovetailjs/components/middleware/static'
import { Em, mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { memoryCache } from 'dovetailjs/components/cache/memory'
import { redisCache } from 'dovetailjs/components/cache/redis'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { objectDispatch } from 'dovetailjs/components/router/object-dispatch'
import { redisStore } from 'dovetailjs/components/session-store/redis'
import { sqlStore } from 'dovetailjs/components/session-store/sql'
import { eta } from 'dovetailjs/components/template/eta'
import { nunjucks } from 'dovetailjs/components/template/nunjucks'
import { wikiRoot } from './controller-tree.js'
import { AccountController } from './controllers/account-controller.js'
import { PageController } from './controllers/page-controller.js'
import { SearchController } from './controllers/search-controller.js'
import { entities } from './models/index.js'
import { Accounts, userLoader } from './services/accounts.js'
import { PageCache } from './services/page-cache.js'
import { PageService } from './services/page-service.js'
import { Views } from './services/views.js'

/** A folder of this example, wherever the process was started from. */
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/** What can be switched without touching code; {@link wikiSettingsFromEnv} reads them from the environment. */
export interface WikiSettings {
  /** `eta` (the preset's) or `nunjucks`: the same pages in the other syntax. */
  template?: 'eta' | 'nunjucks'
  /**
   * `radix` (the preset's: the routes of {@link wikiRoutes}) or
   * `object-dispatch`: the same paths as a controller tree (`controller-tree.ts`).
   * @default 'radix'
   */
  router?: 'radix' | 'object-dispatch'
  /**
   * Where sessions live: `sql` (the preset's: a `wiki_sessions` table in the
   * wiki's database), `redis` (shared by every process, nothing in the
   * database) or `memory` (this process only, lost on restart).
   * @default 'sql'
   */
  sessionStore?: 'sql' | 'redis' | 'memory'
  /** For `sessionStore: 'redis'` and `cache: 'redis'`. @default 'redis://127.0.0.1:6379' */
  redisUrl?: string
  /**
   * Where rendered pages are cached (for anonymous readers): `memory` (this
   * process) or `redis` (shared by every process and machine, so an edit on
   * one clears the page on all).
   * @default 'memory'
   */
  cache?: 'memory' | 'redis'
  /** For `cache: 'redis'`: the prefix of the cache's keys; wikis sharing one Redis database each need their own. @default 'wiki:cache:' */
  cachePrefix?: string
  /** Where the pages live: a SQLite file path or a PostgreSQL/MySQL URL. @default DATABASE_URL, else ./data/app.db */
  databaseUrl?: string
  /**
   * PostgreSQL only: keep the wiki's tables in this schema (which must exist)
   * instead of `public`, e.g. to share a database with other apps.
   * @default the connection's search_path (normally public)
   */
  databaseSchema?: string
  /** Signs the session cookie; at least 32 characters. Every process of one wiki needs the same. */
  sessionSecret?: string
  /** `development`, `production` or `test`. @default NODE_ENV, else development */
  environment?: string
}

/**
 * The settings from environment variables: `WIKI_TEMPLATE`, `WIKI_ROUTER`, `WIKI_SESSION_STORE`,
 * `WIKI_CACHE`, `WIKI_CACHE_PREFIX`, `REDIS_URL`, `WIKI_SESSION_SECRET`, `WIKI_DB_SCHEMA` (and, read by the ORM component itself,
 * `DATABASE_URL`).
 */
export function wikiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WikiSettings {
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = env[name]
    if (value === undefined || value === '') return undefined
    if (!allowed.includes(value as T)) throw new DovetailError('DOVETAIL_ERR_CONFIG_INVALID', `${name} is '${value}'; use one of: ${allowed.join(', ')}.`)
    return value as T
  }
  return {
    template: pick('WIKI_TEMPLATE', ['eta', 'nunjucks']),
    router: pick('WIKI_ROUTER', ['radix', 'object-dispatch']),
    sessionStore: pick('WIKI_SESSION_STORE', ['sql', 'redis', 'memory']),
    cache: pick('WIKI_CACHE', ['memory', 'redis']),
    cachePrefix: env.WIKI_CACHE_PREFIX || undefined,
    redisUrl: env.REDIS_URL || undefined,
    sessionSecret: env.WIKI_SESSION_SECRET || undefined,
    databaseSchema: env.WIKI_DB_SCHEMA || undefined,
  }
}

/**
 * MikroORM options that put every table in one PostgreSQL schema: MikroORM
 * qualifies its own queries with `schema`, and the search_path catches what
 * is written unqualified (the migration, the search's raw SQL).
 */
function inSchema(schema: string | undefined): { mikroOrm?: Record<string, unknown> } {
  if (schema === undefined) return {}
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new DovetailError('DOVETAIL_ERR_CONFIG_INVALID', `The wiki's databaseSchema (WIKI_DB_SCHEMA) is '${schema}'; use lower-case letters, digits and _, starting with a letter or _.`)
  }
  return { mikroOrm: { schema, driverOptions: { connection: { options: `-c search_path=${schema}` } } } }
}

/** Secrets signing the session cookie: the configured one, or in development a random one for this process only. */
function sessionSecrets(settings: WikiSettings): string[] {
  if (settings.sessionSecret) return [settings.sessionSecret]
  const environment = settings.environment ?? process.env.NODE_ENV ?? 'development'
  if (environment === 'production') {
    throw new DovetailError(
      'DOVETAIL_ERR_CONFIG_INVALID',
      'The wiki needs WIKI_SESSION_SECRET in production: 32 or more random characters (openssl rand -base64 48), the same for every process.',
    )
  }
  // Logins then last as long as this process; fine for trying the wiki, not for running it.
  return [randomBytes(32).toString('base64url')]
}

function sessionStore(settings: WikiSettings) {
  switch (settings.sessionStore ?? 'sql') {
    case 'redis':
      return redisStore({ url: settings.redisUrl ?? 'redis://127.0.0.1:6379', prefix: 'wiki:sess:' })
    case 'memory':
      return memoryStore()
    default:
      return sqlStore({ table: 'wiki_sessions' })
  }
}

/**
 * The wiki's routes: every page is a controller action, resolved for each
 * request with its services injected (see `controllers/`).
 */
export function wikiRoutes(r: Routes): void {
  r.get('/', [PageController, 'front'], { name: 'home' })
  r.get('/pages', [PageController, 'list'], { name: 'pages' })
  r.post('/pages', [PageController, 'create'], { name: 'page-create' })
  r.get('/new', [PageController, 'new'], { name: 'page-new' })
  r.get('/pages/:slug', [PageController, 'show'], { name: 'page' })
  r.post('/pages/:slug', [PageController, 'save'], { name: 'page-save' })
  r.get('/pages/:slug/edit', [PageController, 'edit'], { name: 'page-edit' })
  r.get('/pages/:slug/history', [PageController, 'history'], { name: 'page-history' })
  r.get('/pages/:slug/revisions/:number', [PageController, 'revision'], { name: 'page-revision' })
  r.get('/pages/:slug/diff', [PageController, 'diff'], { name: 'page-diff' })
  r.get('/search', [SearchController, 'search'], { name: 'search' })
  r.get('/changes', [SearchController, 'changes'], { name: 'changes' })
  r.get('/login', [AccountController, 'loginForm'], { name: 'login' })
  r.post('/login', [AccountController, 'login'])
  r.post('/logout', [AccountController, 'logout'], { name: 'logout' })
}

/**
 * The wiki's config: the `fullstack` preset, with the wiki's own templates,
 * entities, migrations, stylesheet and session secret. Everything else (the
 * container, router, server, logger, the order of the middleware) is the
 * preset's, unless `router: 'object-dispatch'` asks for the routes as a
 * controller tree.
 *
 * @example
 * const app = await createApp(createWikiConfig({ template: 'nunjucks' }))
 */
export function createWikiConfig(settings: WikiSettings = wikiSettingsFromEnv()): DovetailConfig {
  return defineConfig({
    preset: 'fullstack',
    ...(settings.environment ? { environment: settings.environment } : {}),
    components: {
      template: settings.template === 'nunjucks' ? nunjucks({ views: here('./templates/nunjucks') }) : eta({ views: here('./templates/eta') }),
      orm: mikroOrm({
        ...(settings.databaseUrl ? { url: settings.databaseUrl } : {}),
        entities,
        migrations: { path: here('./migrations'), tableName: 'wiki_migrations' },
        ...inSchema(settings.databaseSchema),
      }),
      'session-store': sessionStore(settings),
      cache:
        settings.cache === 'redis'
          ? redisCache({ url: settings.redisUrl ?? 'redis://127.0.0.1:6379', prefix: settings.cachePrefix ?? 'wiki:cache:' })
          : memoryCache(),
      ...(settings.router === 'object-dispatch' ? { router: objectDispatch({ root: wikiRoot }) } : {}),
      middleware: {
        replace: {
          static: serveStatic({ root: here('./static'), prefix: '/static', maxAge: 3600 }),
          session: sessionMiddleware({ secrets: sessionSecrets(settings) }),
        },
      },
    },
    register(c) {
      // The auth middleware (in the preset) asks this for the logged-in user; scoped, as it reads through the request's Em.
      c.scoped(UserLoader, { useFactory: userLoader, deps: [Em] })
      c.scoped(PageService)
      c.scoped(Accounts)
      c.scoped(Views)
      c.scoped(PageCache)
    },
    // The tree holds every route when the router dispatches on it; routes(r) would only shadow it.
    ...(settings.router === 'object-dispatch' ? {} : { routes: wikiRoutes }),
  })
}

/** For the database command line (`npm run db:migrate`): the config from the environment. */
export default () => createWikiConfig()
