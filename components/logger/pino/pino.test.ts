import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, DovetailError, Logger, type DovetailConfig } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { pinoLogger } from 'dovetailjs/components/logger/pino'

const dirs: string[] = []
const tempFile = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-pino-'))
  dirs.push(dir)
  return join(dir, 'nested', name)
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const lines = (text: string) => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>)

const routes: DovetailConfig['routes'] = (r) => {
  r.get('/log', (ctx) => {
    const log = ctx.resolve(Logger)
    log.debug('a debug line')
    log.info({ user: { name: 'ada', password: 'hunter2' }, req: { headers: { authorization: 'Bearer s3cret' } } }, 'signed in')
    return ctx.text('logged')
  })
  r.get('/boom', () => {
    throw new Error('the disk is on fire')
  })
}

/** Collects what pino writes, line by line. */
function memoryStream() {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  return { stream, read: () => lines(chunks.join('')) }
}

describe('logger/pino', () => {
  it('writes JSON lines to a file, creating its folder, and flushes them at app.close()', async () => {
    const file = tempFile('app.log')
    const app = await createApp({
      environment: 'production',
      components: { logger: pinoLogger({ destination: file }) },
      routes,
    })
    const client = createTestClient(app)
    expect((await client.get('/log')).status).toBe(200)
    expect((await client.get('/boom')).status).toBe(500)
    await app.close()

    const written = lines(readFileSync(file, 'utf8'))
    const signedIn = written.find((l) => l.msg === 'signed in')!
    expect(signedIn.level).toBe(30)
    expect(signedIn.user.name).toBe('ada')
    // production defaults to info: the debug line is not written
    expect(written.some((l) => l.msg === 'a debug line')).toBe(false)
    // the core's log of an uncaught error goes through the slot, with pino's err serializer
    const crash = written.find((l) => l.msg === 'uncaught error while handling a request')!
    expect(crash.level).toBe(50)
    expect(crash.err.message).toBe('the disk is on fire')
    expect(crash.err.stack).toContain('pino.test.ts')
    expect(crash.url).toBe('http://localhost/boom')
  })

  it('is the built-in named "pino", at debug level in development', async () => {
    const file = tempFile('dev.log')
    // By name with defaults first: the slot is filled by pino.
    const byName = await createApp({ environment: 'production', components: { logger: 'pino' } })
    expect(typeof byName.logger.child).toBe('function')
    expect((byName.logger as unknown as { level: string }).level).toBe('info')
    await byName.close()

    const app = await createApp({ environment: 'development', components: { logger: pinoLogger({ destination: file }) }, routes })
    await createTestClient(app).get('/log')
    await app.close()
    expect(lines(readFileSync(file, 'utf8')).map((l) => l.msg)).toContain('a debug line')
  })

  it('redacts the configured paths', async () => {
    const memory = memoryStream()
    const app = await createApp({
      environment: 'production',
      components: { logger: pinoLogger({ destination: memory.stream, redact: ['user.password', 'req.headers.authorization'] }) },
      routes,
    })
    await createTestClient(app).get('/log')
    await app.close()
    const signedIn = memory.read().find((l) => l.msg === 'signed in')!
    expect(signedIn.user).toEqual({ name: 'ada', password: '[Redacted]' })
    expect(signedIn.req.headers.authorization).toBe('[Redacted]')
    expect(JSON.stringify(memory.read())).not.toContain('hunter2')
  })

  it('honours an explicit level and base fields, and child bindings', async () => {
    const memory = memoryStream()
    const app = await createApp({
      environment: 'development',
      components: { logger: pinoLogger({ destination: memory.stream, level: 'warn', base: { service: 'shop' } }) },
    })
    app.logger.info('not written')
    app.logger.child({ component: 'billing' }).warn({ invoice: 7 }, 'late invoice')
    await app.close()
    expect(memory.read()).toEqual([expect.objectContaining({ level: 40, service: 'shop', component: 'billing', invoice: 7, msg: 'late invoice' })])
  })

  it('writes to stdout by default', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url))
    const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), [fileURLToPath(new URL('fixtures/stdout-app.ts', import.meta.url))], {
      cwd: root,
    })
    const line = lines(stdout).find((l) => l.msg === 'hello from the handler')
    expect(line).toMatchObject({ level: 30, route: 'home' })
  })

  it('refuses pretty: true at startup, saying how to pretty-print instead', async () => {
    const error = await createApp({ components: { logger: pinoLogger({ pretty: true }) } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DovetailError)
    expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect((error as Error).message).toContain("option 'pretty'")
    expect((error as Error).message).toContain('pino-pretty')
  })

  it('refuses an unknown level, naming the option', async () => {
    const error = await createApp({ components: { logger: pinoLogger({ level: 'loud' as never }) } }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/logger\/pino.*\n.*option 'level'/)
  })
})
