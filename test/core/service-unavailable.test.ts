import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, Logger, ServiceUnavailableError } from 'dovetailjs'

describe('ServiceUnavailableError', () => {
  it('answers 503 with Retry-After and without the internal message', async () => {
    const app = await createApp(
      defineConfig({
        preset: 'minimal',
        routes: (r) => r.get('/', () => { throw new ServiceUnavailableError('pg at 10.0.0.5 refused', { retryAfter: 3 }) }),
      }),
    )
    const res = await app.fetch(new Request('http://x/', { headers: { accept: 'application/json' } }))
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('3')
    const body = await res.text()
    expect(body).toContain('DOVETAIL_ERR_HTTP_SERVICE_UNAVAILABLE')
    expect(body).not.toContain('10.0.0.5')
    await app.close()
  })

  it('is logged at debug, not as an error with a stack: the component that threw it logs the outage once', async () => {
    const logged: string[] = []
    const record = (level: string) => () => void logged.push(level)
    const logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), child: () => logger }
    const app = await createApp(
      defineConfig({
        preset: 'minimal',
        register: (c) => void c.value(Logger, logger),
        routes: (r) => r.get('/', () => { throw new ServiceUnavailableError('pg at 10.0.0.5 refused') }),
      }),
    )
    for (let i = 0; i < 3; i++) expect((await app.fetch(new Request('http://x/'))).status).toBe(503)
    expect(logged).toEqual(['debug', 'debug', 'debug'])
    await app.close()
  })

  it('refuses a Retry-After that is not a whole number of seconds', () => {
    expect(() => new ServiceUnavailableError('x', { retryAfter: 1.5 })).toThrow(RangeError)
  })
})
