import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { defineEntity } from '@mikro-orm/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, defineConfig, Logger } from 'dovetailjs'
import { transaction } from 'dovetailjs/components/middleware/transaction'
import { Em, MikroOrm, mikroOrm, type MikroOrmOptions } from 'dovetailjs/components/orm/mikro-orm'
import { type FaultProxy, faultProxy } from '../support/fault-proxy.js'
import { openSocket } from '../support/raw-http.js'
import { serviceAvailable, services } from '../support/services.js'
import { slowQueryServers } from '../support/slow-queries.js'

// Availability of the database behind orm/mikro-orm and middleware/transaction:
// an outage answers 503 with Retry-After, fast (bounded by connectTimeout,
// acquireTimeout or limits.handlerTimeout, never knex's 60 s), writes nothing
// partial, is logged once at warn and not as an error, and ends by itself when
// the database is back. The faults are made by a proxy on the test's own path
// to the shared database (test/support/fault-proxy.ts), never by stopping it.
// Tables are prefixed avail_orm_; each case writes under a batch id of its own.

const Row = defineEntity({
  name: 'AvailOrmRow',
  tableName: 'avail_orm_row',
  properties: (p) => ({ id: p.integer().primary().autoincrement(), batch: p.string().length(64), n: p.integer() }),
})

const connectTimeout = 1000
const acquireTimeout = 1500
const handlerTimeout = 4000
// The machine runs several suites at once; a bound is the timeout plus this.
const margin = 1500

/** The figures each case measured, printed once at the end for the report. */
const figures: string[] = []
afterAll(() => {
  if (figures.length) process.stdout.write(`\navailability figures (orm):\n${figures.map((f) => `  ${f}`).join('\n')}\n`)
})

interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  fields: Record<string, unknown>
  message: string
}

function levelLogger() {
  const lines: LogLine[] = []
  const at = (level: LogLine['level']) => (fields: unknown, message?: unknown) =>
    void lines.push(typeof fields === 'string' ? { level, fields: {}, message: fields } : { level, fields: fields as Record<string, unknown>, message: String(message) })
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger }
  return { logger, lines, at: (level: LogLine['level']) => lines.filter((l) => l.level === level) }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Whether `check` comes true within `ms`, asked every 50 ms: for what happens after the response. */
async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<boolean> {
  for (const started = performance.now(); performance.now() - started < ms; await sleep(50)) if (await check()) return true
  return check()
}

interface Gate {
  reached: Promise<void>
  reach(): void
  opened: Promise<void>
  open(): void
}
const gate = (): Gate => {
  const g = {} as Gate
  g.reached = new Promise((resolve) => (g.reach = resolve))
  g.opened = new Promise((resolve) => (g.open = resolve))
  return g
}

for (const db of slowQueryServers) {
  const available = await serviceAvailable(db.service)

  describe.skipIf(!available)(`orm/mikro-orm on ${db.name} behind a failing network`, () => {
    let proxy: FaultProxy
    let app: App
    let log: ReturnType<typeof levelLogger>
    // A second app straight to the database, for setting up and for counting rows: it never fails.
    let direct: App
    const hold = { gate: gate() }

    beforeAll(async () => {
      direct = await createApp(defineConfig({ environment: 'test', components: { orm: mikroOrm({ url: db.url(services[db.service].port), entities: [Row], schema: 'update' }) } }))
    })
    afterAll(async () => {
      await direct?.resolve(MikroOrm).execute('delete from avail_orm_row')
      await direct?.close()
    })

    async function start(options: Partial<MikroOrmOptions> = {}, limit: number | false = handlerTimeout): Promise<void> {
      proxy = await faultProxy(services[db.service])
      log = levelLogger()
      hold.gate = gate()
      app = await createApp(
        defineConfig({
          environment: 'test',
          limits: { handlerTimeout: limit },
          components: {
            orm: mikroOrm({ url: db.url(proxy.port), entities: [Row], connectTimeout, acquireTimeout, pool: { min: 0, max: 2 }, ...options }),
            middleware: [transaction()],
          },
          register: (c) => c.value(Logger, log.logger),
          routes(r) {
            r.get('/count', async (ctx) => ctx.json(await ctx.resolve(Em).count(Row, {})))
            r.get('/count-in-transaction', async (ctx) => ctx.json(await ctx.resolve(Em).transactional((em) => em.count(Row, {}))))
            // Two rows, each flushed, with a pause between them in which the test breaks things.
            r.post('/two-rows/:batch', async (ctx) => {
              const em = ctx.resolve(Em)
              em.create(Row, { batch: ctx.params.batch!, n: 1 })
              await em.flush()
              hold.gate.reach()
              await hold.gate.opened
              em.create(Row, { batch: ctx.params.batch!, n: 2 })
              await em.flush()
              return ctx.text('written', { status: 201 })
            })
            // A row, then a query that runs 10 s.
            r.post('/slow/:batch', async (ctx) => {
              const em = ctx.resolve(Em)
              em.create(Row, { batch: ctx.params.batch!, n: 1 })
              await em.flush()
              await em.execute(db.slow(ctx.params.batch!))
              return ctx.text('slept', { status: 201 })
            })
            r.get('/slow/:marker', async (ctx) => ctx.json(await ctx.resolve(Em).execute(db.slow(ctx.params.marker!))))
          },
        }),
      )
    }

    afterEach(async () => {
      hold.gate.open()
      proxy?.setMode('pass')
      await app?.close()
      await proxy?.close()
    })

    const get = (path: string, init?: RequestInit) => app.fetch(new Request(`http://app${path}`, { headers: { accept: 'application/json' }, ...init }))
    const timed = async (path: string, init?: RequestInit) => {
      const started = performance.now()
      const res = await get(path, init)
      return { res, ms: Math.round(performance.now() - started) }
    }
    const rowsOf = async (batch: string) => (await direct.resolve(MikroOrm).execute<{ n: number }>('select n from avail_orm_row where batch = ?', [batch])).length
    const stillRunning = async (marker: string) => Number((await direct.resolve(MikroOrm).execute<{ n: number | string }>(db.running(marker)))[0]?.n)

    const expect503 = async (res: Response, code = 'DOVETAIL_ERR_HTTP_SERVICE_UNAVAILABLE') => {
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('5')
      const body = await res.text()
      expect(JSON.parse(body).error.code).toBe(code)
      // The message names the database; the client gets the status text only.
      expect(body).not.toContain('127.0.0.1')
    }
    const expectNoErrorLogged = () => expect(log.at('error').map((l) => l.message)).toEqual([])

    it('answers 503 with Retry-After at once when the database refuses connections, warns once, and logs no error', async () => {
      await start()
      expect((await get('/count')).status).toBe(200)
      proxy.setMode('refuse')
      proxy.cut()
      const first = await timed('/count')
      await expect503(first.res)
      const second = await timed('/count')
      await expect503(second.res)
      expect(first.ms).toBeLessThan(connectTimeout + margin)
      expect(second.ms).toBeLessThan(connectTimeout + margin)
      const warned = log.at('warn').filter((l) => l.fields.component === 'orm/mikro-orm')
      expect(warned).toHaveLength(1)
      expect(warned[0]!.message).toContain(`the ${db.service === 'postgres' ? 'postgresql' : 'mysql'} database at`)
      expect(warned[0]!.message).not.toContain('select')
      expectNoErrorLogged()
      figures.push(`${db.name} refusing: first 503 after ${first.ms} ms, next after ${second.ms} ms`)
    })

    it('answers 503 within connectTimeout when the database is blackholed, no request waiting for knex’s 60 s', async () => {
      await start()
      expect((await get('/count')).status).toBe(200)
      proxy.setMode('blackhole')
      proxy.cut()
      // The pooled connection was reset: the first request may fail on it at once, or need a new one.
      const first = await timed('/count')
      await expect503(first.res)
      expect(first.ms).toBeLessThan(connectTimeout + margin)
      // This one needs a new connection, which the blackhole never answers.
      const { res, ms } = await timed('/count')
      await expect503(res)
      expect(ms).toBeGreaterThanOrEqual(connectTimeout - 50)
      expect(ms).toBeLessThan(connectTimeout + margin)
      expectNoErrorLogged()
      figures.push(`${db.name} blackholed: first 503 after ${first.ms} ms, one needing a new connection after ${ms} ms (connectTimeout ${connectTimeout} ms)`)
    })

    it('ends a query on a pooled connection that froze with a 503 at handlerTimeout, and closes that connection', async () => {
      await start({}, 1500)
      expect((await get('/count')).status).toBe(200)
      proxy.setMode('blackhole')
      const { res, ms } = await timed('/count')
      await expect503(res, 'DOVETAIL_ERR_HTTP_TIME_LIMIT')
      expect(ms).toBeLessThan(1500 + margin)
      // The cancel cannot reach the database either, so the frozen connection is closed, within connectTimeout.
      expect(await within(connectTimeout + margin, () => log.at('info').some((l) => /^closed the connection of a running query/.test(l.message)))).toBe(true)
      proxy.setMode('pass')
      expect((await get('/count')).status).toBe(200)
      expectNoErrorLogged()
      figures.push(`${db.name} frozen pooled connection: 503 after ${ms} ms (handlerTimeout 1500 ms)`)
    })

    it('answers 503 within acquireTimeout when a long transaction holds the only pooled connection', async () => {
      await start({ pool: { min: 0, max: 1 } })
      const batch = randomUUID()
      const holding = get(`/two-rows/${batch}`, { method: 'POST' })
      await hold.gate.reached
      const { res, ms } = await timed('/count')
      await expect503(res)
      expect(ms).toBeGreaterThanOrEqual(acquireTimeout - 50)
      expect(ms).toBeLessThan(acquireTimeout + margin)
      expect(log.at('warn').find((l) => l.fields.component === 'orm/mikro-orm')?.fields.outage).toBe('saturated')
      // A transaction the handler opens itself waits for its connection no longer.
      const own = await timed('/count-in-transaction')
      await expect503(own.res)
      expect(own.ms).toBeLessThan(acquireTimeout + margin)
      hold.gate.open()
      expect((await holding).status).toBe(201)
      expect(await rowsOf(batch)).toBe(2)
      expect((await get('/count')).status).toBe(200)
      expectNoErrorLogged()
      figures.push(`${db.name} pool of 1 held by a transaction: 503 after ${ms} ms (acquireTimeout ${acquireTimeout} ms)`)
    })

    it('answers 503 and keeps neither row when the connection is cut between the two writes of a transaction', async () => {
      await start()
      const batch = randomUUID()
      const writing = get(`/two-rows/${batch}`, { method: 'POST' })
      await hold.gate.reached
      proxy.cut()
      hold.gate.open()
      const res = await writing
      await expect503(res)
      expect(await rowsOf(batch)).toBe(0)
      expectNoErrorLogged()
      // The database is still there: the next request gets a new connection.
      const again = randomUUID()
      const next = get(`/two-rows/${again}`, { method: 'POST' })
      await hold.gate.reached
      hold.gate.open()
      expect((await next).status).toBe(201)
      expect(await rowsOf(again)).toBe(2)
    })

    it('answers again by itself once the database is back, and says so at info', async () => {
      await start()
      expect((await get('/count')).status).toBe(200)
      proxy.setMode('refuse')
      proxy.cut()
      let lost = 0
      const outageStarted = performance.now()
      while (performance.now() - outageStarted < 500) {
        await expect503((await get('/count')))
        lost++
        await sleep(50)
      }
      proxy.setMode('pass')
      const back = performance.now()
      let status = 0
      while (status !== 200 && performance.now() - back < 5000) {
        status = (await get('/count')).status
        if (status !== 200) {
          lost++
          await sleep(20)
        }
      }
      const recovered = Math.round(performance.now() - back)
      expect(status).toBe(200)
      expect(recovered).toBeLessThan(2000)
      const again = log.at('info').find((l) => /answers again/.test(l.message))
      expect(again?.fields.failed).toBeGreaterThanOrEqual(lost)
      expectNoErrorLogged()
      figures.push(`${db.name} recovery: 200 again ${recovered} ms after the database came back; ${lost} requests answered 503 during a 0.5 s outage`)
    })

    it('cancels the running query when handlerTimeout passes, and rolls back what the request wrote', async () => {
      await start({}, 300)
      const batch = randomUUID()
      const { res, ms } = await timed(`/slow/${batch}`, { method: 'POST' })
      await expect503(res, 'DOVETAIL_ERR_HTTP_TIME_LIMIT')
      expect(ms).toBeLessThan(300 + margin)
      expect(await within(3000, async () => (await stillRunning(batch)) === 0)).toBe(true)
      expect(await rowsOf(batch)).toBe(0)
      expect(await within(3000, () => log.at('info').some((l) => l.message === 'cancelled a running query: its request outlived the time limit'))).toBe(true)
      expectNoErrorLogged()
      figures.push(`${db.name} time limit 300 ms over a 10 s query: 503 after ${ms} ms, query gone from the server, 0 rows kept`)
    })

    it('cancels the running query when the client disconnects, and logs that at info, not as an error', async () => {
      await start()
      const marker = randomUUID()
      const client = new AbortController()
      const answered = get(`/slow/${marker}`, { signal: client.signal })
      expect(await within(3000, async () => (await stillRunning(marker)) === 1)).toBe(true)
      client.abort(new Error('the client closed the connection'))
      await answered
      expect(await within(3000, async () => (await stillRunning(marker)) === 0)).toBe(true)
      expect(await within(3000, () => log.at('info').some((l) => l.message === 'cancelled a running query: the client closed the connection'))).toBe(true)
      expectNoErrorLogged()
    })

    it('logs a client that hangs up on the node server during a query at info, cancels the query, and logs no error', async () => {
      await start()
      const server = await app.listen({ port: 0 })
      try {
        const marker = randomUUID()
        const socket = await openSocket(server.port)
        socket.write(`GET /slow/${marker} HTTP/1.1\r\nHost: app\r\nAccept: application/json\r\n\r\n`)
        expect(await within(3000, async () => (await stillRunning(marker)) === 1)).toBe(true)
        socket.destroy()
        expect(await within(3000, async () => (await stillRunning(marker)) === 0)).toBe(true)
        expect(await within(3000, () => log.at('info').some((l) => l.message === 'the client closed the connection before the response'))).toBe(true)
        expect(log.at('info').some((l) => l.message === 'cancelled a running query: the client closed the connection')).toBe(true)
        expectNoErrorLogged()
        expect(log.at('warn')).toEqual([])
      } finally {
        await server.close()
      }
    })
  })
}

describe('orm/mikro-orm on SQLite locked by another process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-avail-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('answers 503 with Retry-After after busyTimeout, keeps nothing, and writes once the lock is gone', async () => {
    const file = join(dir, 'locked.db')
    const log = levelLogger()
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { orm: mikroOrm({ url: file, entities: [Row], schema: 'update', busyTimeout: 200 }), middleware: [transaction()] },
        register: (c) => c.value(Logger, log.logger),
        routes(r) {
          r.post('/rows/:batch', async (ctx) => {
            ctx.resolve(Em).create(Row, { batch: ctx.params.batch!, n: 1 })
            return ctx.text('written', { status: 201 })
          })
        },
      }),
    )
    // Another process's writer, as a migration run beside the app would be.
    const { default: Database } = await import('libsql')
    const other = new Database(file)
    other.exec('begin exclusive')
    const started = performance.now()
    const res = await app.fetch(new Request('http://app/rows/a', { method: 'POST', headers: { accept: 'application/json' } }))
    const ms = Math.round(performance.now() - started)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(ms).toBeGreaterThanOrEqual(190)
    expect(ms).toBeLessThan(200 + margin)
    other.exec('rollback')
    other.close()
    expect((await app.fetch(new Request('http://app/rows/b', { method: 'POST' }))).status).toBe(201)
    const rows = await app.resolve(MikroOrm).execute<{ batch: string }>('select batch from avail_orm_row')
    expect(rows.map((r) => r.batch)).toEqual(['b'])
    expect(log.at('warn').filter((l) => l.fields.outage === 'saturated')).toHaveLength(1)
    expect(log.at('error')).toEqual([])
    figures.push(`SQLite locked by another connection: 503 after ${ms} ms (busyTimeout 200 ms)`)
    await app.close()
  })
})
