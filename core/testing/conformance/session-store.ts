import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DovetailError } from '../../errors/dovetail-error.js'
import type { SessionData, SessionStore } from '../../slots/session-store.js'

export interface SessionStoreConformanceOptions {
  /** Shown in the test names, e.g. `'session-store/redis'`. */
  name: string
  /** The store under test, connected and ready; called once for the suite. */
  createStore: () => SessionStore | Promise<SessionStore>
  /** Release the store's connections after the suite. */
  close?: (store: SessionStore) => unknown
  /**
   * The largest value the store promises to keep, in bytes of JSON. Server-side
   * stores keep 1 MiB (the default); a cookie store keeps a few KB and must
   * refuse more with a `DovetailError`.
   */
  maxValueBytes?: number
  /**
   * For a store with a service behind it (a server, a database): a way to take
   * that service away. The kit writes a session, calls `cutOff()`, and checks
   * that `get`, `set` and `destroy` then reject within `within` ms, never
   * answering `undefined` for the session it could not read nor resolving a
   * write it could not make, and never with a `DovetailError` (which means
   * "this value can't be kept"). With `restore`, it then checks that the store
   * comes back by itself and still has the session. Stores with nothing to
   * lose (memory, cookie) leave it out.
   */
  outage?: SessionStoreOutage
}

/** How the conformance kit takes a store's service away and gives it back. */
export interface SessionStoreOutage {
  /** A store, connected and ready, whose service `cutOff` can take away (through a fault proxy, say). */
  create: () => Promise<SessionStoreOutageTarget> | SessionStoreOutageTarget
  /** How fast a call must fail once the service is gone, in ms. @default 5000 */
  within?: number
}

export interface SessionStoreOutageTarget {
  store: SessionStore
  /** Take the service away: refuse new connections and reset open ones, or stop it. */
  cutOff(): unknown
  /** Give it back; optional. */
  restore?(): unknown
  /** Release everything `create` made. */
  close?(): unknown
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const freshId = () => randomBytes(18).toString('base64url')

/**
 * The session-store slot's contract as a test suite. Every store runs it; a
 * third-party store proves it can replace a built-in one by passing it.
 *
 * A stateless store (`stateless: true`) is driven through the values its
 * `set` returns, as the session middleware drives it.
 *
 * @example
 * // test/my-store.test.ts
 * import { runSessionStoreConformance } from 'dovetailjs/testing'
 * import { MyStore } from '../src/my-store.js'
 * runSessionStoreConformance({ name: 'session-store/mine', createStore: () => new MyStore() })
 */
export function runSessionStoreConformance(options: SessionStoreConformanceOptions): void {
  const { name, maxValueBytes = 1024 * 1024 } = options

  describe(`session-store conformance: ${name}`, () => {
    let store: SessionStore
    /** Set, and answer the reference `get`/`destroy` take: the id, or a stateless store's sealed value. */
    const put = async (id: string, data: SessionData, ttl = 60_000): Promise<string> => (await store.set(id, data, ttl)) ?? id

    beforeAll(async () => {
      store = await options.createStore()
    })
    afterAll(async () => {
      if (store) await options.close?.(store)
    })

    describe('round trip', () => {
      it('gives back what was set, through JSON', async () => {
        const data = { user: 42, name: 'Zoë ☃', roles: ['admin', 'editor'], flags: { beta: true, trial: null }, ratio: 0.25 }
        expect(await store.get(await put(freshId(), data))).toEqual(data)
      })

      it('stores plain JSON: a Date comes back as its ISO string', async () => {
        const when = new Date('2024-05-01T12:00:00.000Z')
        expect(await store.get(await put(freshId(), { when }))).toEqual({ when: '2024-05-01T12:00:00.000Z' })
      })

      it('keeps a copy: changing the object after set changes nothing stored', async () => {
        const data: SessionData = { cart: ['apple'] }
        const ref = await put(freshId(), data)
        ;(data.cart as string[]).push('pear')
        data.extra = true
        expect(await store.get(ref)).toEqual({ cart: ['apple'] })
      })

      it('replaces the whole value on a second set', async () => {
        const id = freshId()
        await put(id, { a: 1, b: 2 })
        expect(await store.get(await put(id, { c: 3 }))).toEqual({ c: 3 })
      })

      it('answers undefined for an id it never saw, and for malformed ones', async () => {
        expect(await store.get(freshId())).toBeUndefined()
        expect(await store.get('')).toBeUndefined()
        expect(await store.get('not/a valid*id%00')).toBeUndefined()
      })

      it('refuses a value JSON cannot hold, with an error naming the key', async () => {
        const error = await store.set(freshId(), { count: 10n }, 60_000).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(DovetailError)
        expect((error as DovetailError).code).toBe('DOVETAIL_ERR_SESSION_NOT_SERIALIZABLE')
        expect((error as Error).message).toContain("'count'")
      })
    })

    // Concurrent: these wait on the clock, and need not wait one after another.
    describe.concurrent('expiry', () => {
      it('forgets a session once its ttl has passed, and not before', async () => {
        const short = await put(freshId(), { v: 'short' }, 600)
        const long = await put(freshId(), { v: 'long' }, 30_000)
        expect(await store.get(short)).toEqual({ v: 'short' })
        await sleep(1_100)
        expect(await store.get(short)).toBeUndefined()
        expect(await store.get(long)).toEqual({ v: 'long' })
      })

      it('a second set starts the ttl over', async () => {
        const id = freshId()
        await put(id, { n: 1 }, 600)
        const ref = await put(id, { n: 2 }, 30_000)
        await sleep(1_000)
        expect(await store.get(ref)).toEqual({ n: 2 })
      })

      it('touch, where offered, extends the life of a stored session', async (t) => {
        if (!store.touch) return t.skip()
        const id = freshId()
        const ref = await put(id, { n: 1 }, 700)
        await store.touch(ref, 30_000)
        await sleep(1_100)
        expect(await store.get(ref)).toEqual({ n: 1 })
      })
    })

    describe('destroy', () => {
      it('forgets the session (stateful stores)', async (t) => {
        if (store.stateless) t.skip() // nothing server-side to forget: the middleware clears the cookie
        const ref = await put(freshId(), { user: 1 })
        await store.destroy(ref)
        expect(await store.get(ref)).toBeUndefined()
      })

      it('is no error for an unknown id', async () => {
        await expect(store.destroy(freshId())).resolves.toBeUndefined()
      })
    })

    describe('isolation', () => {
      it('keeps sessions apart by id', async () => {
        const [a, b] = [freshId(), freshId()]
        const refA = await put(a, { who: 'a' })
        const refB = await put(b, { who: 'b' })
        expect(await store.get(refA)).toEqual({ who: 'a' })
        expect(await store.get(refB)).toEqual({ who: 'b' })
        if (!store.stateless) {
          await store.destroy(refA)
          expect(await store.get(refB)).toEqual({ who: 'b' })
        }
      })

      it('does not confuse ids that share a prefix', async () => {
        const id = freshId()
        const ref = await put(id, { who: 'short' })
        const refLonger = await put(`${id}x`, { who: 'longer' })
        expect(await store.get(ref)).toEqual({ who: 'short' })
        expect(await store.get(refLonger)).toEqual({ who: 'longer' })
      })
    })

    describe('large values', () => {
      it(`keeps a value of ${maxValueBytes} bytes`, async () => {
        // Random text, so no store can get it under a limit by compressing.
        const big = randomBytes(Math.floor(((maxValueBytes - 40) * 3) / 4)).toString('base64url')
        const data = { big, unicode: 'ünïcødé ✓' }
        expect(JSON.stringify(data).length).toBeLessThanOrEqual(maxValueBytes)
        expect(await store.get(await put(freshId(), data))).toEqual(data)
      })

      if (maxValueBytes < 1024 * 1024) {
        it('refuses more than it can keep with a DovetailError that says what to do', async () => {
          const tooBig = { big: randomBytes(maxValueBytes * 2).toString('base64url') }
          const error = await store.set(freshId(), tooBig, 60_000).then(
            () => undefined,
            (e: unknown) => e,
          )
          expect(error).toBeInstanceOf(DovetailError)
          expect((error as Error).message).toMatch(/limit/)
        })
      }
    })

    if (options.outage) {
      const outage = options.outage
      const within = outage.within ?? 5_000
      /** What a call did, and how long it took. */
      const settle = async (call: () => Promise<unknown>) => {
        const started = performance.now()
        const outcome = await call().then(
          (value) => ({ resolved: true as const, value }),
          (error: unknown) => ({ resolved: false as const, error }),
        )
        return { ...outcome, ms: performance.now() - started }
      }

      describe('when its service is down', () => {
        it(`rejects get, set and destroy within ${within} ms, and never reads a stored session as missing`, async () => {
          const target = await outage.create()
          try {
            const id = freshId()
            const ref = (await target.store.set(id, { user: 'ada' }, 60_000)) ?? id
            await target.cutOff()
            for (const [what, call] of [
              ['get', () => target.store.get(ref)],
              ['set', () => target.store.set(ref, { user: 'ada', cart: [1] }, 60_000)],
              ['destroy', () => target.store.destroy(ref)],
            ] as const) {
              const outcome = await settle(call)
              expect(outcome, `${what} while the service is down`).toMatchObject({ resolved: false })
              expect((outcome as { error: unknown }).error, `${what} rejected with a DovetailError, which means "can't keep this value"`).not.toBeInstanceOf(DovetailError)
              expect(outcome.ms, `${what} took ${Math.round(outcome.ms)} ms`).toBeLessThan(within)
            }
          } finally {
            await target.close?.()
          }
        })

        it('comes back by itself when the service does, with the sessions it had', async (t) => {
          const target = await outage.create()
          try {
            if (!target.restore) return t.skip()
            const id = freshId()
            const ref = (await target.store.set(id, { user: 'grace' }, 60_000)) ?? id
            await target.cutOff()
            await target.store.get(ref).catch(() => undefined)
            await target.restore()
            const deadline = performance.now() + within + 10_000
            let read = await settle(() => target.store.get(ref))
            while (!read.resolved && performance.now() < deadline) {
              await sleep(100)
              read = await settle(() => target.store.get(ref))
            }
            expect(read).toMatchObject({ resolved: true, value: { user: 'grace' } })
          } finally {
            await target.close?.()
          }
        })
      })
    }

    describe('concurrency', () => {
      it('loses none of many concurrent writes to different ids', async () => {
        const ids = Array.from({ length: 50 }, freshId)
        const refs = await Promise.all(ids.map((id, i) => put(id, { i, tag: id })))
        const read = await Promise.all(refs.map((ref) => store.get(ref)))
        expect(read).toEqual(ids.map((id, i) => ({ i, tag: id })))
      })

      it('concurrent writes to one id leave one of them whole, never a mix or an error', async (t) => {
        if (store.stateless) t.skip() // each write makes its own cookie value; there is no shared slot to fight over
        const id = freshId()
        const writes = Array.from({ length: 20 }, (_, i) => ({ writer: i, payload: String(i).repeat(100), list: [i, i, i] }))
        await Promise.all(writes.map((data) => store.set(id, data, 60_000)))
        const stored = (await store.get(id)) as (typeof writes)[number]
        expect(writes).toContainEqual(stored)
      })

      it('concurrent reads and writes of one id always see a whole value', async (t) => {
        if (store.stateless) t.skip()
        const id = freshId()
        await store.set(id, { n: -1, check: 'x'.repeat(1000) }, 60_000)
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) => (i % 2 ? store.get(id) : store.set(id, { n: i, check: 'x'.repeat(1000) }, 60_000).then(() => undefined))),
        )
        for (const value of results.filter((r) => r !== undefined)) expect((value as { check: string }).check).toHaveLength(1000)
      })
    })
  })
}
