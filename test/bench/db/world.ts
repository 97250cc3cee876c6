/**
 * The TechEmpower-style database routes: the data, the rules every server
 * follows, and the exact bytes each route must answer. Shared by the servers
 * (what to answer) and run.ts (what to check before loading).
 */

/** Tables of their own, so runs never touch another test's data in the shared PostgreSQL. */
export const WORLD_TABLE = 'bench_world'
export const FORTUNE_TABLE = 'bench_fortune'
export const WORLD_ROWS = 10_000
export const QUERIES = 20

/** The value each World row holds after seeding: deterministic, so a check can recompute it. */
export const seededNumber = (id: number): number => ((id * 7919) % WORLD_ROWS) + 1

export const randomId = (): number => 1 + Math.floor(Math.random() * WORLD_ROWS)

/** TechEmpower's rule for `?q=`: a number clamped to 1..500, anything else is 1. */
export function queryCount(raw: string | null | undefined): number {
  const n = Number.parseInt(raw ?? '', 10)
  return Number.isNaN(n) ? 1 : Math.min(500, Math.max(1, n))
}

export interface World {
  id: number
  randomNumber: number
}

export interface Fortune {
  id: number
  message: string
}

/** TechEmpower's fortunes, in the table's order; the route adds one and sorts by message. */
export const FORTUNES: readonly string[] = [
  'fortune: No such file or directory',
  "A computer scientist is someone who fixes things that aren't broken.",
  'After enough decimal places, nobody gives a damn.',
  'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1',
  'A computer program does what you tell it to do, not what you want it to do.',
  'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen',
  'Any program that runs right is obsolete.',
  'A list is only as strong as its weakest link. — Donald Knuth',
  'Feature: A bug with seniority.',
  'Computers make very fast, very accurate mistakes.',
  '<script>alert("This should not be displayed in a browser alert box.");</script>',
  'フレームワークのベンチマーク',
]
export const EXTRA_FORTUNE = 'Additional fortune added at request time.'

/** The route's list: the table's rows, one more, sorted by message (code-unit order, as everywhere). */
export function fortunesToRender(rows: readonly Fortune[]): Fortune[] {
  const all = [...rows, { id: 0, message: EXTRA_FORTUNE }]
  all.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0))
  return all
}

/** The body and type every server answers, per route, as a function of the rows it read. */
export const JSON_TYPE = 'application/json; charset=utf-8'
export const HTML_TYPE = 'text/html; charset=utf-8'
export const worldJson = (w: World): string => JSON.stringify({ id: w.id, randomNumber: w.randomNumber })
export const worldsJson = (ws: readonly World[]): string => JSON.stringify(ws.map((w) => ({ id: w.id, randomNumber: w.randomNumber })))

/** Rows for an UPDATE: sorted by id, each id once, so concurrent batches lock rows in one order (no deadlocks). */
export function updateRows(worlds: readonly World[]): World[] {
  const byId = new Map<number, number>()
  for (const w of worlds) byId.set(w.id, w.randomNumber)
  return [...byId].sort((a, b) => a[0] - b[0]).map(([id, randomNumber]) => ({ id, randomNumber }))
}

/** Which database a DB server talks to, from its environment (set by run.ts). */
export interface DbTarget {
  dialect: 'sqlite' | 'postgresql'
  /** A SQLite file path or a postgresql:// URL. */
  url: string
  /** Folder holding fortunes.eta. */
  views: string
  /** Connections in the pool (PostgreSQL), the same for every server. */
  pool: number
}

export function dbTarget(): DbTarget {
  const dialect = process.env.BENCH_DB
  const url = process.env.BENCH_DB_URL
  const views = process.env.BENCH_VIEWS
  if ((dialect !== 'sqlite' && dialect !== 'postgresql') || !url || !views) {
    throw new Error('A DB benchmark server needs BENCH_DB (sqlite | postgresql), BENCH_DB_URL and BENCH_VIEWS; run.ts sets them.')
  }
  return { dialect, url, views, pool: 10 }
}
