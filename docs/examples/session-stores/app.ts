import { createApp, defineConfig, type ComponentSpec } from 'dovetailjs'
import { session, sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { cookieStore } from 'dovetailjs/components/session-store/cookie'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { redisStore } from 'dovetailjs/components/session-store/redis'
import { sqlStore } from 'dovetailjs/components/session-store/sql'

export type StoreChoice = { kind: 'memory' } | { kind: 'cookie' } | { kind: 'redis'; url: string } | { kind: 'sql'; url: string }

/**
 * One app, four places to keep its sessions. Handlers don't change: only the
 * component in the `session-store` slot does.
 */
export function createCounter(store: StoreChoice, secret: string) {
  const components: Record<string, ComponentSpec> =
    store.kind === 'memory'
      ? { 'session-store': memoryStore() }
      : store.kind === 'cookie'
        ? { 'session-store': cookieStore() }
        : store.kind === 'redis'
          ? { 'session-store': redisStore({ url: store.url, prefix: 'counter:sess:' }) }
          : { orm: mikroOrm({ url: store.url }), 'session-store': sqlStore({ table: 'counter_sessions' }) }
  return createApp(
    defineConfig({
      components: { ...components, middleware: [sessionMiddleware({ secrets: [secret] })] },
      routes(r) {
        r.post('/visit', async (ctx) => {
          const s = await session<{ visits: number }>(ctx)
          s.set('visits', (s.get('visits') ?? 0) + 1)
          return ctx.json({ visits: s.get('visits') })
        })
      },
    }),
  )
}
