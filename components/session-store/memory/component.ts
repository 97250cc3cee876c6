import { z } from 'zod'
import { defineComponent, Logger, SessionStore } from '../../../core/index.js'
import { MemorySessionStore } from './memory-store.js'

export const memoryStoreOptions = z.strictObject({
  sweepInterval: z.number().int().nonnegative().default(60_000),
})

/**
 * The `session-store` slot in process memory, for development and tests.
 * Starting it with the environment `production` logs a warning: sessions
 * vanish on every restart and are not shared between processes.
 *
 * @example
 * import { memoryStore } from 'dovetailjs/components/session-store/memory'
 * defineConfig({ components: { 'session-store': memoryStore() } })
 * // or by name: components: { 'session-store': 'memory' }
 */
export const memoryStore = defineComponent({
  name: 'session-store/memory',
  slot: 'session-store',
  contract: '^1.0',
  options: memoryStoreOptions,
  register(c, options) {
    c.singleton(SessionStore, () => new MemorySessionStore(options), { dispose: (store) => (store as MemorySessionStore).close() })
  },
  start(app) {
    if (app.env === 'production') {
      app.resolve(Logger).warn(
        { component: 'session-store/memory' },
        "The memory session store is for development: in production sessions are lost on every restart and not shared between processes. Use the 'redis' or 'sql' session store (components['session-store']).",
      )
    }
  },
})
