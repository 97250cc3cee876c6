import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, Logger, SessionStore } from 'dovetailjs'
import { memoryStore, MemorySessionStore } from 'dovetailjs/components/session-store/memory'

function warningsLogger() {
  const warnings: unknown[][] = []
  const logger = { warnings, debug() {}, info() {}, error() {}, warn: (...args: unknown[]) => void warnings.push(args), child: () => logger }
  return logger
}

const appIn = (environment: string, logger: ReturnType<typeof warningsLogger>) =>
  createApp(defineConfig({ environment, components: { 'session-store': memoryStore() }, register: (c) => void c.value(Logger, logger) }))

describe('session-store/memory', () => {
  it('warns at startup in production that sessions will not survive a restart', async () => {
    const logger = warningsLogger()
    const app = await appIn('production', logger)
    expect(logger.warnings).toHaveLength(1)
    expect(String(logger.warnings[0]![1])).toMatch(/memory session store is for development.*'redis' or 'sql'/)
    await app.close()
  })

  it('stays quiet in development and test', async () => {
    for (const environment of ['development', 'test']) {
      const logger = warningsLogger()
      await (await appIn(environment, logger)).close()
      expect(logger.warnings).toEqual([])
    }
  })

  it('fills the slot by name', async () => {
    const app = await createApp(defineConfig({ environment: 'test', components: { 'session-store': 'memory' } }))
    expect(app.resolve(SessionStore)).toBeInstanceOf(MemorySessionStore)
    await app.close()
  })

  it('sweeps expired sessions out of memory', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0 })
    await store.set('a', { n: 1 }, 1)
    await store.set('b', { n: 2 }, 60_000)
    await new Promise((resolve) => setTimeout(resolve, 10))
    store.sweep()
    expect(store.size).toBe(1)
  })
})
