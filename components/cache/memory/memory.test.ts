import { describe, expect, it, vi } from 'vitest'

// As in a worker process of `workers: N` (node:cluster).
vi.mock('node:cluster', () => ({ default: { isWorker: true, worker: { id: 3 } } }))

const { createApp, defineConfig, Logger } = await import('dovetailjs')
const { memoryCache } = await import('dovetailjs/components/cache/memory')

describe('cache/memory', () => {
  it('warns, when started in a cluster worker, that its clears reach only that worker', async () => {
    const warnings: unknown[][] = []
    const logger = { debug() {}, info() {}, warn: (...args: unknown[]) => void warnings.push(args), error() {}, child: () => logger }
    const app = await createApp(defineConfig({ environment: 'test', components: { cache: memoryCache() }, register: (c) => void c.value(Logger, logger) }))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]![0]).toEqual({ component: 'cache/memory', worker: 3 })
    expect(warnings[0]![1]).toMatch(/Use the 'redis' cache/)
    await app.close()
  })
})
