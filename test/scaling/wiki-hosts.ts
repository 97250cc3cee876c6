/**
 * The wiki on test hosts (network namespaces, test/support/netns.ts), all on
 * one PostgreSQL schema and one Redis: the database is made ready once from
 * the test's process, then each host serves the wiki with `dovetail start`.
 */
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type App, createApp, Orm } from 'dovetailjs'
import { MikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { ADMIN_PASSWORD, SESSION_SECRET, testWikiConfig } from '../../docs/examples/wiki/test/wiki.case.js'
import { seedWiki } from '../../docs/examples/wiki/seed.js'
import { WikiBrowser } from '../../docs/examples/wiki/test/wiki-browser.js'
import type { TestHost } from '../support/netns.js'
import { services } from '../support/services.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))

/** The port every host's wiki listens on, at the host's own address. */
export const HOST_PORT = 3000

/** The wiki's database for the hosts: a PostgreSQL schema of this run's own in the shared database `test`. */
export interface WikiDatabase {
  readonly schema: string
  /** An app on the same database, in the test's process: for checking what the hosts wrote. */
  readonly app: App
  /** Drop the schema with everything in it, and close the app. */
  drop(): Promise<void>
}

/** Make the schema, run the wiki's migrations and seed it (admin with {@link ADMIN_PASSWORD}, the starter pages), once, before any host starts. */
export async function prepareWikiDatabase(schema: string): Promise<WikiDatabase> {
  const app = await createApp(testWikiConfig({ databaseUrl: services.postgres.url, databaseSchema: schema, sessionStore: 'redis', redisUrl: services.redis.url }))
  try {
    await app.resolve(Orm).execute(`create schema ${schema}`)
    await app.resolve(MikroOrm).migrate()
    await seedWiki(app, { adminPassword: ADMIN_PASSWORD })
  } catch (error) {
    await app.close()
    throw error
  }
  return {
    schema,
    app,
    drop: async () => {
      try {
        await app.resolve(Orm).execute(`drop schema if exists ${schema} cascade`)
      } finally {
        await app.close()
      }
    },
  }
}

/** The wiki running on one test host. */
export interface WikiHost {
  readonly host: TestHost
  /** `http://<address>:3000`: the host itself, not through nginx. */
  readonly url: string
  /**
   * A browser talking to this host itself, not through nginx, for the site at
   * `site` (nginx's address): it sends the `X-Forwarded-Host` and
   * `X-Forwarded-Proto` nginx would, so the host sees the site's public
   * address (its forms' origin, its cache keys) as it does behind nginx.
   */
  browser(site: string): WikiBrowser
  /** What its processes wrote (the last 64 KiB), to show when a test fails. */
  output(): string
}

function directBrowser(hostUrl: string, site: string): WikiBrowser {
  return new WikiBrowser(async (request) => {
    const { pathname, search } = new URL(request.url)
    const headers = new Headers(request.headers)
    headers.set('x-forwarded-host', new URL(site).host)
    headers.set('x-forwarded-proto', 'http')
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer()
    return fetch(new URL(`${pathname}${search}`, hostUrl), { method: request.method, headers, body, redirect: 'manual' })
  }, site)
}

export interface WikiHostOptions {
  /** The PostgreSQL schema every host shares (see {@link prepareWikiDatabase}). */
  schema: string
  /** The Redis key prefix of the wiki's page cache, the same on every host. */
  cachePrefix: string
  /** Worker processes (`dovetail start --workers`). */
  workers: number
  /** ms to wait for it to serve. */
  timeout: number
}

/**
 * Start the wiki on `host` (`dovetail start --workers` with
 * test/scaling/wiki-host.config.ts, in production mode), reaching PostgreSQL
 * and Redis through the host's gateway, sessions and page cache in Redis;
 * resolves once every worker serves. Every host gets the same session secret,
 * as every process of one site must.
 */
export function startWikiHost(host: TestHost, { schema, cachePrefix, workers, timeout }: WikiHostOptions): Promise<WikiHost> {
  const child: ChildProcess = host.spawn(
    tsx,
    ['core/cli/bin.ts', 'start', '--config', 'test/scaling/wiki-host.config.ts', '--host', host.address, '--port', String(HOST_PORT), '--workers', String(workers)],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: `postgresql://postgres@${host.gateway}:${services.postgres.port}/test`,
        WIKI_DB_SCHEMA: schema,
        WIKI_SESSION_STORE: 'redis',
        WIKI_CACHE: 'redis',
        WIKI_CACHE_PREFIX: cachePrefix,
        REDIS_URL: `redis://${host.gateway}:${services.redis.port}`,
        WIKI_SESSION_SECRET: SESSION_SECRET,
        WIKI_ADMIN_PASSWORD: ADMIN_PASSWORD,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-65_536)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const url = `http://${host.address}:${HOST_PORT}`
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void host.kill()
      reject(new Error(`the wiki on ${host.name} did not serve within ${timeout / 1000} s. Its output:\n${output}`))
    }, timeout)
    const exited = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer)
      reject(new Error(`the wiki on ${host.name} exited (${code ?? signal}) before it served. Its output:\n${output}`))
    }
    child.once('exit', exited)
    const serving = () => {
      if (!/serving on http:/.test(output)) return
      clearTimeout(timer)
      child.off('exit', exited)
      child.stdout!.off('data', serving)
      resolve({ host, url, browser: (site) => directBrowser(url, site), output: () => output })
    }
    child.stdout!.on('data', serving)
  })
}
