import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, type DovetailConfig, Logger, RequestSignal, token, withLayer } from 'dovetailjs'
import { startupError } from '../support/startup-error.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A logger that keeps every line with its level. */
function levelLogger() {
  const lines: Array<{ level: string; fields: unknown; message: unknown }> = []
  const at = (level: string) => (fields: unknown, message?: unknown) => void lines.push({ level, fields, message })
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger }
  return { logger, lines }
}

async function appWith(config: DovetailConfig) {
  const log = levelLogger()
  const app = await createApp(withLayer(defineConfig(config), { register: (c) => c.value(Logger, log.logger) }))
  return { app, log }
}

describe('limits.handlerTimeout', () => {
  it('answers 503 with Retry-After and DOVETAIL_ERR_HTTP_TIME_LIMIT when the handler outlives it, and aborts ctx.signal', async () => {
    let seen: AbortSignal | undefined
    let lateWrite = false
    const { app, log } = await appWith({
      limits: { handlerTimeout: 100 },
      routes(r) {
        r.get('/slow', async (ctx) => {
          seen = ctx.signal
          await sleep(400)
          lateWrite = true
          return ctx.text('too late')
        })
      },
    })
    const started = performance.now()
    const res = await app.fetch(new Request('http://x/slow', { headers: { accept: 'application/json' } }))
    const took = performance.now() - started
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    const body = await res.json()
    expect(body.error.code).toBe('DOVETAIL_ERR_HTTP_TIME_LIMIT')
    expect(JSON.stringify(body)).not.toContain('/slow')
    expect(took).toBeGreaterThanOrEqual(95)
    expect(took).toBeLessThan(600)
    expect(seen?.aborted).toBe(true)
    expect((seen?.reason as { code?: string }).code).toBe('DOVETAIL_ERR_HTTP_TIME_LIMIT')
    expect(lateWrite).toBe(false)
    await sleep(450)
    expect(lateWrite).toBe(true)
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1)
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([])
    await app.close()
  })

  it('gives a handler that answers in time its own response, with ctx.signal not aborted', async () => {
    let seen: AbortSignal | undefined
    const { app } = await appWith({
      limits: { handlerTimeout: 200 },
      routes(r) {
        r.get('/', async (ctx) => {
          seen = ctx.signal
          await sleep(20)
          return ctx.text('in time')
        })
      },
    })
    const res = await app.fetch(new Request('http://x/'))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('in time')
    await sleep(250)
    expect(seen?.aborted).toBe(false)
    await app.close()
  })

  it('is off with false, set in a later layer over an earlier limit', async () => {
    const { app } = await appWith({
      environment: 'test',
      limits: { handlerTimeout: 30 },
      env: { test: { limits: { handlerTimeout: false } } },
      routes(r) {
        r.get('/', async (ctx) => {
          await sleep(120)
          return ctx.text('done')
        })
      },
    })
    const res = await app.fetch(new Request('http://x/'))
    expect(res.status).toBe(200)
    await app.close()
  })

  it('answers HEAD past the time limit with 503 and no body', async () => {
    const { app } = await appWith({
      limits: { handlerTimeout: 30 },
      routes(r) {
        r.get('/', async (ctx) => {
          await sleep(200)
          return ctx.text('late')
        })
      },
    })
    const res = await app.fetch(new Request('http://x/', { method: 'HEAD' }))
    expect(res.status).toBe(503)
    expect(await res.text()).toBe('')
    await app.close()
  })

  it('disposes the request scope only when the late handler has finished with it', async () => {
    const events: string[] = []
    const Thing = token<{ use(): void }>('Thing')
    const { app } = await appWith({
      limits: { handlerTimeout: 30 },
      register(c) {
        c.scoped(Thing, () => ({ use: () => void events.push('used') }), { dispose: () => void events.push('disposed') })
      },
      routes(r) {
        r.get('/', async (ctx) => {
          const thing = ctx.resolve(Thing)
          await sleep(150)
          thing.use()
          return ctx.text('late')
        })
      },
    })
    expect((await app.fetch(new Request('http://x/'))).status).toBe(503)
    expect(events).toEqual([])
    await sleep(250)
    expect(events).toEqual(['used', 'disposed'])
    await app.close()
  })

  it('logs what a late handler throws because of the abort at debug, not as an error', async () => {
    const { app, log } = await appWith({
      limits: { handlerTimeout: 30 },
      routes(r) {
        r.get('/', async (ctx) => {
          await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))
          return ctx.text('never')
        })
      },
    })
    expect((await app.fetch(new Request('http://x/'))).status).toBe(503)
    await sleep(50)
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([])
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1)
    await app.close()
  })

  for (const [value, shown] of [[0, '0'], [-5, '-5'], [1.5, '1.5'], ['30s', '"30s"'], [2 ** 31, String(2 ** 31)]] as const) {
    it(`refuses handlerTimeout ${shown} at startup, naming the option`, async () => {
      const error = await startupError({ limits: { handlerTimeout: value as never } })
      expect(error.code).toBe('DOVETAIL_ERR_CONFIG_INVALID')
      expect(error.message).toContain(`config.limits.handlerTimeout is ${shown}`)
      expect(error.message).toContain('false for no time limit')
    })
  }

  it('refuses an unknown key in limits at startup', async () => {
    const error = await startupError({ limits: { handlerTimout: 100 } as never })
    expect(error.code).toBe('DOVETAIL_ERR_CONFIG_INVALID')
    expect(error.message).toContain("unknown key 'handlerTimout'")
  })
})

describe('ctx.signal', () => {
  it("aborts with the client's reason when the client goes away", async () => {
    const client = new AbortController()
    let seen: AbortSignal | undefined
    const { app } = await appWith({
      routes(r) {
        r.get('/', async (ctx) => {
          seen = ctx.signal
          client.abort(new Error('gone'))
          return ctx.text(String(ctx.signal.aborted))
        })
      },
    })
    const res = await app.fetch(new Request('http://x/', { signal: client.signal }))
    expect(await res.text()).toBe('true')
    expect((seen?.reason as Error).message).toBe('gone')
    await app.close()
  })

  it('is what a scoped service gets for RequestSignal, and a singleton cannot have it', async () => {
    const Probe = token<{ signal: AbortSignal }>('Probe')
    const Lonely = token<AbortSignal>('Lonely')
    const { app } = await appWith({
      register(c) {
        c.scoped(Probe, (resolve) => ({ signal: resolve(RequestSignal) }))
        c.singleton(Lonely, (resolve) => resolve(RequestSignal))
      },
      routes(r) {
        r.get('/scoped', (ctx) => ctx.text(String(ctx.resolve(Probe).signal === ctx.signal)))
        r.get('/singleton', (ctx) => ctx.text(String(ctx.resolve(Lonely))))
      },
    })
    expect(await (await app.fetch(new Request('http://x/scoped'))).text()).toBe('true')
    expect((await app.fetch(new Request('http://x/singleton'))).status).toBe(500)
    await app.close()
  })
})
