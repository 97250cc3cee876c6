/**
 * The benchmark's groups: each compares a set of servers on a set of routes
 * against one baseline server of its own, round by round. `npm run bench --
 * --groups db,preset` picks groups by substring.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { benchRoutes } from './bench-routes.js'
import { type AnswerCheck, checkDb, checkExact, checkQueries, checkUpdates, withHeaders } from './db/checks.js'
import { fortunesHtml } from './db/fortunes-html.js'
import { seedPostgres, seedSqlite } from './db/seed.js'
import { HTML_TYPE, QUERIES } from './db/world.js'
import { API_JSON, ITEM, ITEM_CREATED, ORIGIN } from './preset/api.js'
import { csrfInput, FORM_NAME, LINES } from './preset/fullstack.js'
import { benchEta } from './servers/db-eta.js'
import { benchServers, type BenchServer } from './server-process.js'

export interface GroupRoute {
  /** The label in the table. */
  name: string
  path: string
  check: AnswerCheck
  /** Only these servers answer it (e.g. request scopes are Dovetail's). */
  only?: (server: BenchServer) => boolean
  /**
   * What to send, if not a plain GET: a method, headers, a body. A function may
   * ask the server first (for a session cookie and its CSRF token). The check
   * and wrk (through a generated Lua script) send the same request.
   */
  request?: RequestSpec | ((baseUrl: string) => Promise<RequestSpec>)
}

export interface RequestSpec {
  method?: string
  headers?: Record<string, string>
  body?: string
}

export interface BenchGroup {
  name: string
  /** The server every ratio in the group is taken against. */
  baseline: string
  servers: readonly BenchServer[]
  routes: readonly GroupRoute[]
  /** Environment for the group's servers. */
  env?: (workDir: string) => Record<string, string>
  /** Runs before each server starts (restores the database, so every server sees the same rows). */
  before?: (workDir: string) => Promise<void>
  /** A reason to skip the group on this machine (a service down), or undefined. */
  unavailable?: () => Promise<string | undefined>
}

// The Kysely component arrives from its own branch; until it is merged the group runs without Dovetail.
const hasKysely = existsSync(fileURLToPath(new URL('../../components/orm/kysely/index.ts', import.meta.url)))
const PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test'
const views = fileURLToPath(new URL('./views', import.meta.url))
const TEXT = 'text/plain; charset=utf-8'
const JSON_TYPE = 'application/json; charset=utf-8'

const core: BenchGroup = {
  name: 'core',
  baseline: 'raw node:http',
  servers: benchServers,
  routes: benchRoutes.map((r) => ({
    name: r.name,
    path: r.path,
    check: checkExact(r.name === '/json' ? JSON_TYPE : TEXT, r.body),
    ...(r.dovetailOnly ? { only: (s: BenchServer) => s.dovetail } : {}),
  })),
}

const dbRoutes: readonly GroupRoute[] = [
  { name: '/db', path: '/db', check: checkDb },
  { name: `/queries?q=${QUERIES}`, path: `/queries?q=${QUERIES}`, check: checkQueries(QUERIES) },
  { name: '/fortunes', path: '/fortunes', check: checkExact(HTML_TYPE, fortunesHtml()) },
  { name: `/updates?q=${QUERIES}`, path: `/updates?q=${QUERIES}`, check: checkUpdates(QUERIES) },
]

async function postgresDown(): Promise<string | undefined> {
  try {
    await seedPostgres(PG_URL)
    return undefined
  } catch (error) {
    return `PostgreSQL at ${PG_URL} is not reachable (${(error as Error).message})`
  }
}

function dbGroup(dialect: 'sqlite' | 'postgresql', orm: 'mikro' | 'kysely'): BenchGroup {
  const sqliteFile = (dir: string) => `${dir}/bench.db`
  const servers: BenchServer[] =
    orm === 'mikro'
      ? [
          { name: 'node:http + MikroORM', script: 'node-mikro.ts', dovetail: false },
          { name: 'dovetail + MikroORM', script: 'dovetail-db.ts', args: ['mikro-orm'], dovetail: true },
          { name: 'fastify + MikroORM', script: 'fastify-mikro.ts', dovetail: false },
        ]
      : [
          { name: 'node:http + driver', script: 'node-driver.ts', dovetail: false },
          ...(hasKysely ? [{ name: 'dovetail + Kysely', script: 'dovetail-db.ts', args: ['kysely'], dovetail: true }] : []),
          { name: 'fastify + Kysely', script: 'fastify-kysely.ts', dovetail: false },
        ]
  return {
    name: `db-${dialect}-${orm}`,
    baseline: servers[0]!.name,
    servers,
    routes: dbRoutes,
    env: (dir) => ({ BENCH_DB: dialect, BENCH_DB_URL: dialect === 'sqlite' ? sqliteFile(dir) : PG_URL, BENCH_VIEWS: views }),
    before: async (dir) => (dialect === 'sqlite' ? seedSqlite(sqliteFile(dir)) : seedPostgres(PG_URL)),
    ...(dialect === 'postgresql' ? { unavailable: postgresDown } : {}),
  }
}

/** The security, CORS and type headers both `api` servers must send, byte for byte; the request id only has to be a UUID. */
const apiHeaders = {
  'access-control-allow-origin': ORIGIN,
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'strict-origin-when-cross-origin',
  vary: 'Origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
}
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const presetApi: BenchGroup = {
  name: 'preset-api',
  baseline: 'fastify + plugins',
  servers: [
    { name: 'fastify + plugins', script: 'fastify-api.ts', dovetail: false },
    { name: 'dovetail api preset', script: 'dovetail-api.ts', dovetail: true },
  ],
  routes: [
    {
      name: 'GET /json (api)',
      path: '/json',
      request: { headers: { origin: ORIGIN } },
      check: withHeaders(checkExact(JSON_TYPE, API_JSON), apiHeaders, { 'x-request-id': uuid }),
    },
    {
      name: 'POST /items (api)',
      path: '/items',
      request: { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: ITEM },
      check: withHeaders((a) => (a.status === 201 ? checkExact(JSON_TYPE, ITEM_CREATED)({ ...a, status: 200 }) : `status ${a.status}`), apiHeaders, {
        'x-request-id': uuid,
      }),
    },
  ],
  env: (dir) => ({ BENCH_DB_URL: `${dir}/api.db` }),
}

const fullstackViews = fileURLToPath(new URL('./views-fullstack', import.meta.url))
const fullstackHeaders = {
  'content-encoding': 'gzip',
  'content-security-policy':
    "default-src 'self'; base-uri 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; style-src 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
}
/** The page with its CSRF token (random per session) written as TOKEN, so two servers' pages compare. */
const withoutToken = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="TOKEN"')
const page = (name: string, data: Record<string, unknown>): string => benchEta(fullstackViews).render(name, data)
const checkPage = (expected: string): AnswerCheck =>
  withHeaders(
    (a) =>
      a.status !== 200
        ? `status ${a.status}`
        : a.type !== HTML_TYPE
          ? `content-type '${a.type}'`
          : withoutToken(a.body) === expected
            ? undefined
            : `page differs (token aside) from the expected ${expected.length} bytes: '${withoutToken(a.body).slice(0, 300)}'`,
    fullstackHeaders,
    { 'x-request-id': uuid, vary: /accept-encoding/i },
  )

/** A first visit: the session cookie it sets and the CSRF token of its form. */
async function firstVisit(baseUrl: string): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${baseUrl}/form`)
  const html = await res.text()
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('sid='))
  const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1]
  if (!cookie || !token) throw new Error(`GET /form at ${baseUrl} set no session cookie or printed no CSRF token (status ${res.status}).`)
  return { cookie, token }
}

const presetFullstack: BenchGroup = {
  name: 'preset-fullstack',
  baseline: 'fastify + plugins',
  servers: [
    { name: 'fastify + plugins', script: 'fastify-fullstack.ts', dovetail: false },
    { name: 'dovetail fullstack preset', script: 'dovetail-fullstack.ts', dovetail: true },
  ],
  routes: [
    {
      name: 'GET /form (session, csrf)',
      path: '/form',
      request: async (baseUrl) => ({ headers: { cookie: (await firstVisit(baseUrl)).cookie, 'accept-encoding': 'gzip' } }),
      check: checkPage(page('form', { name: 'stranger', csrf: csrfInput('TOKEN'), lines: LINES })),
    },
    {
      name: 'POST /form (form, csrf)',
      path: '/form',
      request: async (baseUrl) => {
        const { cookie, token } = await firstVisit(baseUrl)
        return {
          method: 'POST',
          headers: { cookie, 'accept-encoding': 'gzip', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: token, name: FORM_NAME }).toString(),
        }
      },
      check: checkPage(page('thanks', { name: FORM_NAME, lines: LINES })),
    },
  ],
  env: (dir) => ({ BENCH_DB_URL: `${dir}/fullstack.db`, BENCH_VIEWS: fullstackViews }),
}

export const benchGroups: readonly BenchGroup[] = [
  core,
  dbGroup('sqlite', 'mikro'),
  dbGroup('postgresql', 'mikro'),
  dbGroup('sqlite', 'kysely'),
  dbGroup('postgresql', 'kysely'),
  presetApi,
  presetFullstack,
]
