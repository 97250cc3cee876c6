import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DovetailError } from '../../errors/dovetail-error.js'
import type { Cache, CacheValue } from '../../slots/cache.js'

export interface CacheConformanceOptions {
  /** Shown in the test names, e.g. `'cache/redis'`. */
  name: string
  /** The cache under test, connected and ready; called once for the suite. */
  createCache: () => Cache | Promise<Cache>
  /** Release the cache's connections after the suite. */
  close?: (cache: Cache) => unknown
  /**
   * For a cache shared between processes (Redis): a second handle on the same
   * data, as another process or machine would have it (its own client, same
   * prefix). The kit checks that a `clearTag` or `delete` through one is seen
   * through the other. A cache that lives in one process leaves it out.
   */
  createPeer?: (cache: Cache) => Cache | Promise<Cache>
  /** Release what `createPeer` made. */
  closePeer?: (peer: Cache) => unknown
  /**
   * For a cache with a service behind it: a way to take that service away.
   * The kit checks that every method then rejects within `within` ms, never
   * answering a miss for an entry it could not read nor resolving a write or
   * a clear it could not make, and never with a `DovetailError` (which means
   * "this value can't be kept"); with `restore`, that it comes back by itself.
   */
  outage?: CacheOutage
}

/** How the conformance kit takes a cache's service away and gives it back. */
export interface CacheOutage {
  /** A cache, connected and ready, whose service `cutOff` can take away (through a fault proxy, say). */
  create: () => Promise<CacheOutageTarget> | CacheOutageTarget
  /** How fast a call must fail once the service is gone, in ms. @default 5000 */
  within?: number
}

export interface CacheOutageTarget {
  cache: Cache
  /** Take the service away: refuse new connections and reset open ones, or stop it. */
  cutOff(): unknown
  /** Give it back; optional. */
  restore?(): unknown
  /** Release everything `create` made. */
  close?(): unknown
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const minute = 60_000

/** What a promise did: its value or its error. */
const settle = async <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  )

/** A promise and the function that resolves it, to hold a computation open. */
function gate<T>() {
  let open!: (value: T) => void
  const promise = new Promise<T>((resolve) => (open = resolve))
  return { promise, open }
}

/**
 * The cache slot's contract as a test suite. Every cache runs it; a
 * third-party cache proves it can replace a built-in one by passing it.
 *
 * @example
 * // test/my-cache.test.ts
 * import { runCacheConformance } from 'dovetailjs/testing/conformance'
 * import { MyCache } from '../src/my-cache.js'
 * runCacheConformance({ name: 'cache/mine', createCache: () => new MyCache() })
 */
export function runCacheConformance(options: CacheConformanceOptions): void {
  const { name } = options

  describe(`cache conformance: ${name}`, () => {
    let cache: Cache
    // Keys and tags of this run only, so runs sharing a backend never see each other's entries.
    const run = randomBytes(6).toString('hex')
    let counter = 0
    const fresh = (what = 'key') => `${what}:${run}:${++counter}`

    beforeAll(async () => {
      cache = await options.createCache()
    })
    afterAll(async () => {
      if (cache) await options.close?.(cache)
    })

    describe('round trip', () => {
      it('gives back what was set, through JSON', async () => {
        const key = fresh()
        const value = { user: 42, name: 'Zoë ☃', roles: ['admin', 'editor'], flags: { beta: true, trial: null }, ratio: 0.25 }
        await cache.set(key, value, { ttl: minute })
        expect(await cache.get(key)).toEqual(value)
      })

      it('keeps strings, numbers, booleans and null as they are', async () => {
        for (const value of ['', 'text', 0, -1.5, true, false, null] as CacheValue[]) {
          const key = fresh()
          await cache.set(key, value, { ttl: minute })
          expect(await cache.get(key)).toEqual(value)
        }
      })

      it('stores plain JSON: a Date comes back as its ISO string, an undefined property is dropped', async () => {
        const key = fresh()
        await cache.set(key, { when: new Date('2024-05-01T12:00:00.000Z'), gone: undefined } as unknown as CacheValue, { ttl: minute })
        expect(await cache.get(key)).toEqual({ when: '2024-05-01T12:00:00.000Z' })
        expect(Object.keys((await cache.get(key)) as object)).toEqual(['when'])
      })

      it('keeps a copy: changing the object after set, or what get answered, changes nothing stored', async () => {
        const key = fresh()
        const value = { list: ['a'] }
        await cache.set(key, value, { ttl: minute })
        value.list.push('b')
        const read = (await cache.get<{ list: string[] }>(key))!
        read.list.push('c')
        expect(await cache.get(key)).toEqual({ list: ['a'] })
      })

      it('answers undefined for a key it never saw', async () => {
        expect(await cache.get(fresh())).toBeUndefined()
      })

      it('replaces the value, its ttl and its tags on a second set', async () => {
        const [key, tag] = [fresh(), fresh('tag')]
        await cache.set(key, { n: 1 }, { ttl: minute, tags: [tag] })
        await cache.set(key, { n: 2 }, { ttl: minute })
        await cache.clearTag(tag)
        expect(await cache.get(key)).toEqual({ n: 2 })
        await cache.set(key, { n: 3 }, { ttl: minute, tags: [tag] })
        await cache.set(key, { n: 4 }, { ttl: minute, tags: [tag] })
        await cache.clearTag(tag)
        expect(await cache.get(key)).toBeUndefined()
      })

      it('keeps keys apart, also those that share a beginning', async () => {
        const key = fresh()
        await cache.set(key, 'short', { ttl: minute })
        await cache.set(`${key}x`, 'longer', { ttl: minute })
        expect(await cache.get(key)).toBe('short')
        expect(await cache.get(`${key}x`)).toBe('longer')
      })

      it('keeps a value of 1 MiB of JSON', async () => {
        const key = fresh()
        const big = randomBytes(768 * 1024).toString('base64url')
        await cache.set(key, { big }, { ttl: minute })
        expect(await cache.get(key)).toEqual({ big })
      })
    })

    describe('refusals', () => {
      it('refuses a value JSON cannot hold, naming the key', async () => {
        const key = fresh()
        for (const value of [{ count: 10n }, undefined, () => 1]) {
          const outcome = await settle(cache.set(key, value as unknown as CacheValue, { ttl: minute }))
          expect(outcome.resolved).toBe(false)
          const error = (outcome as { error: unknown }).error
          expect(error).toBeInstanceOf(DovetailError)
          expect((error as DovetailError).code).toBe('DOVETAIL_ERR_CACHE_NOT_SERIALIZABLE')
          expect((error as Error).message).toContain(key)
        }
        expect(await cache.get(key)).toBeUndefined()
      })

      it('refuses a ttl that is not a whole number of ms from 1 to 30 days, and a tag that is not a non-empty string', async () => {
        for (const setOptions of [{ ttl: 0 }, { ttl: -5 }, { ttl: 1.5 }, { ttl: Number.NaN }, { ttl: 31 * 24 * 60 * minute }, { ttl: minute, tags: [''] }]) {
          const outcome = await settle(cache.set(fresh(), 'x', setOptions))
          expect((outcome as { error: unknown }).error, JSON.stringify(setOptions)).toBeInstanceOf(DovetailError)
          expect(((outcome as { error: DovetailError }).error).code).toBe('DOVETAIL_ERR_CACHE_BAD_OPTIONS')
          const computed = await settle(cache.getOrCompute(fresh(), () => 'x', setOptions))
          expect(((computed as { error: DovetailError }).error).code).toBe('DOVETAIL_ERR_CACHE_BAD_OPTIONS')
        }
      })
    })

    // Concurrent: these wait on the clock, and need not wait one after another.
    describe.concurrent('expiry', () => {
      it('forgets an entry once its ttl has passed, and not before', async () => {
        const [short, long] = [fresh(), fresh()]
        await cache.set(short, 'short', { ttl: 600 })
        await cache.set(long, 'long', { ttl: 30_000 })
        expect(await cache.get(short)).toBe('short')
        await sleep(1_100)
        expect(await cache.get(short)).toBeUndefined()
        expect(await cache.get(long)).toBe('long')
      })

      it('a second set starts the ttl over', async () => {
        const key = fresh()
        await cache.set(key, 1, { ttl: 600 })
        await cache.set(key, 2, { ttl: 30_000 })
        await sleep(1_000)
        expect(await cache.get(key)).toBe(2)
      })

      it('computes again once what getOrCompute stored has expired', async () => {
        const key = fresh()
        let calls = 0
        const compute = () => ++calls
        expect(await cache.getOrCompute(key, compute, { ttl: 600 })).toBe(1)
        expect(await cache.getOrCompute(key, compute, { ttl: 600 })).toBe(1)
        await sleep(1_100)
        expect(await cache.getOrCompute(key, compute, { ttl: 600 })).toBe(2)
      })
    })

    describe('delete and clearTag', () => {
      it('delete forgets one entry, and is no error for an unknown key', async () => {
        const [a, b] = [fresh(), fresh()]
        await cache.set(a, 'a', { ttl: minute })
        await cache.set(b, 'b', { ttl: minute })
        await cache.delete(a)
        await expect(cache.delete(fresh())).resolves.toBeUndefined()
        expect(await cache.get(a)).toBeUndefined()
        expect(await cache.get(b)).toBe('b')
      })

      it('clearTag forgets every entry with the tag, and only those', async () => {
        const [tag, other] = [fresh('tag'), fresh('tag')]
        const [one, two, both, untagged, otherOnly] = [fresh(), fresh(), fresh(), fresh(), fresh()]
        await cache.set(one, 1, { ttl: minute, tags: [tag] })
        await cache.set(two, 2, { ttl: minute, tags: [tag] })
        await cache.set(both, 3, { ttl: minute, tags: [other, tag] })
        await cache.set(untagged, 4, { ttl: minute })
        await cache.set(otherOnly, 5, { ttl: minute, tags: [other] })
        await cache.clearTag(tag)
        expect(await Promise.all([one, two, both, untagged, otherOnly].map((key) => cache.get(key)))).toEqual([undefined, undefined, undefined, 4, 5])
      })

      it('keeps what is stored with a tag after it was cleared, and clearing an unused tag is no error', async () => {
        const [tag, key] = [fresh('tag'), fresh()]
        await cache.set(key, 'old', { ttl: minute, tags: [tag] })
        await cache.clearTag(tag)
        await cache.set(key, 'new', { ttl: minute, tags: [tag] })
        expect(await cache.get(key)).toBe('new')
        await expect(cache.clearTag(fresh('tag'))).resolves.toBeUndefined()
      })
    })

    describe('getOrCompute', () => {
      it('computes on a miss, stores the result, and answers the stored value afterwards without computing', async () => {
        const key = fresh()
        let calls = 0
        const compute = async () => ({ n: ++calls })
        expect(await cache.getOrCompute(key, compute, { ttl: minute })).toEqual({ n: 1 })
        expect(await cache.getOrCompute(key, compute, { ttl: minute })).toEqual({ n: 1 })
        expect(await cache.get(key)).toEqual({ n: 1 })
        expect(calls).toBe(1)
      })

      it('answers what a get would: JSON, a fresh copy for each caller', async () => {
        const key = fresh()
        const computed = await cache.getOrCompute(key, () => ({ when: new Date('2024-05-01T00:00:00.000Z') }) as unknown as CacheValue, { ttl: minute })
        expect(computed).toEqual({ when: '2024-05-01T00:00:00.000Z' })
        const [a, b] = await Promise.all([cache.getOrCompute(fresh(), () => ({ list: [1] }), { ttl: minute }), cache.getOrCompute(key, () => null, { ttl: minute })])
        ;(a as { list: number[] }).list.push(2)
        expect(b).toEqual({ when: '2024-05-01T00:00:00.000Z' })
      })

      it('runs one computation for concurrent callers of one key, each getting its result', async () => {
        const key = fresh()
        const held = gate<{ n: number }>()
        let calls = 0
        const compute = () => {
          calls++
          return held.promise
        }
        const callers = Array.from({ length: 10 }, () => cache.getOrCompute(key, compute, { ttl: minute }))
        await sleep(50)
        held.open({ n: 7 })
        const results = await Promise.all(callers)
        expect(calls).toBe(1)
        expect(results).toEqual(Array.from({ length: 10 }, () => ({ n: 7 })))
        // Each caller its own copy.
        results[0]!.n = 8
        expect(results[1]).toEqual({ n: 7 })
      })

      it('runs computations of different keys side by side', async () => {
        const held = gate<string>()
        let calls = 0
        const compute = () => {
          calls++
          return held.promise
        }
        const callers = [fresh(), fresh(), fresh()].map((key) => cache.getOrCompute(key, compute, { ttl: minute }))
        await sleep(50)
        expect(calls).toBe(3)
        held.open('done')
        expect(await Promise.all(callers)).toEqual(['done', 'done', 'done'])
      })

      it('gives a failed computation’s error to every waiter, stores nothing, and computes again on the next call', async () => {
        const key = fresh()
        const held = gate<void>()
        let calls = 0
        const failure = new Error('the database is down')
        const failing = async () => {
          calls++
          await held.promise
          throw failure
        }
        const callers = Array.from({ length: 5 }, () => settle(cache.getOrCompute(key, failing, { ttl: minute })))
        await sleep(50)
        held.open()
        const outcomes = await Promise.all(callers)
        expect(calls).toBe(1)
        for (const outcome of outcomes) expect(outcome).toEqual({ resolved: false, error: failure })
        expect(await cache.get(key)).toBeUndefined()
        expect(await cache.getOrCompute(key, () => 'second try', { ttl: minute })).toBe('second try')
      })

      it('rejects a computation whose result is not JSON, for every waiter, storing nothing', async () => {
        const key = fresh()
        const outcomes = await Promise.all([1, 2].map(() => settle(cache.getOrCompute(key, () => ({ big: 1n }) as unknown as CacheValue, { ttl: minute }))))
        for (const outcome of outcomes) expect(((outcome as { error: DovetailError }).error).code).toBe('DOVETAIL_ERR_CACHE_NOT_SERIALIZABLE')
        expect(await cache.get(key)).toBeUndefined()
      })

      it('does not store a result when its tag was cleared while it was computed, but still answers it', async () => {
        const [key, tag] = [fresh(), fresh('tag')]
        const held = gate<string>()
        const pending = cache.getOrCompute(key, () => held.promise, { ttl: minute, tags: [tag] })
        await sleep(50)
        // An edit happened while the old data was being rendered.
        await cache.clearTag(tag)
        held.open('rendered from the old data')
        expect(await pending).toBe('rendered from the old data')
        expect(await cache.get(key)).toBeUndefined()
        expect(await cache.getOrCompute(key, () => 'rendered from the new data', { ttl: minute, tags: [tag] })).toBe('rendered from the new data')
      })

      it('makes a caller who comes after a clearTag compute anew, not wait for a computation begun before it', async () => {
        const [key, tag] = [fresh(), fresh('tag')]
        const held = gate<string>()
        const before = cache.getOrCompute(key, () => held.promise, { ttl: minute, tags: [tag] })
        await sleep(50)
        await cache.clearTag(tag)
        const after = cache.getOrCompute(key, () => 'rendered after the edit', { ttl: minute, tags: [tag] })
        expect(await after).toBe('rendered after the edit')
        held.open('rendered before the edit')
        expect(await before).toBe('rendered before the edit')
        expect(await cache.get(key)).toBe('rendered after the edit')
      })
    })

    if (options.createPeer) {
      const createPeer = options.createPeer
      describe('shared between processes', () => {
        let peer: Cache
        beforeAll(async () => {
          peer = await createPeer(cache)
        })
        afterAll(async () => {
          if (peer) await options.closePeer?.(peer)
        })

        it('an entry set through one is read through the other', async () => {
          const key = fresh()
          await cache.set(key, { from: 'one' }, { ttl: minute })
          expect(await peer.get(key)).toEqual({ from: 'one' })
        })

        it('a clearTag or delete through one is seen through the other at once', async () => {
          const [tag, tagged, plain] = [fresh('tag'), fresh(), fresh()]
          await peer.set(tagged, 'page', { ttl: minute, tags: [tag] })
          await peer.set(plain, 'other', { ttl: minute })
          expect(await cache.get(tagged)).toBe('page')
          await cache.clearTag(tag)
          await cache.delete(plain)
          expect(await peer.get(tagged)).toBeUndefined()
          expect(await peer.get(plain)).toBeUndefined()
        })

        it('a clearTag through one while the other computes keeps the stale result out of both', async () => {
          const [key, tag] = [fresh(), fresh('tag')]
          const held = gate<string>()
          const pending = peer.getOrCompute(key, () => held.promise, { ttl: minute, tags: [tag] })
          await sleep(50)
          await cache.clearTag(tag)
          held.open('stale')
          expect(await pending).toBe('stale')
          expect(await cache.get(key)).toBeUndefined()
          expect(await peer.get(key)).toBeUndefined()
        })
      })
    }

    if (options.outage) {
      const outage = options.outage
      const within = outage.within ?? 5_000

      describe('when its service is down', () => {
        it(`rejects every method within ${within} ms, and never reads a stored entry as missing`, async () => {
          const target = await outage.create()
          try {
            const [key, tag] = [fresh(), fresh('tag')]
            await target.cache.set(key, 'kept', { ttl: minute, tags: [tag] })
            await target.cutOff()
            let computed = 0
            for (const [what, call] of [
              ['get', () => target.cache.get(key)],
              ['set', () => target.cache.set(key, 'new', { ttl: minute })],
              ['delete', () => target.cache.delete(key)],
              ['clearTag', () => target.cache.clearTag(tag)],
              ['getOrCompute', () => target.cache.getOrCompute(fresh(), () => ++computed, { ttl: minute })],
            ] as const) {
              const started = performance.now()
              const outcome = await settle((call as () => Promise<unknown>)())
              const ms = performance.now() - started
              expect(outcome, `${what} while the service is down`).toMatchObject({ resolved: false })
              expect((outcome as { error: unknown }).error, `${what} rejected with a DovetailError, which means "can't keep this value"`).not.toBeInstanceOf(DovetailError)
              expect(ms, `${what} took ${Math.round(ms)} ms`).toBeLessThan(within)
            }
          } finally {
            await target.close?.()
          }
        })

        it('comes back by itself when the service does, with the entries it had', async (t) => {
          const target = await outage.create()
          try {
            if (!target.restore) return t.skip()
            const key = fresh()
            await target.cache.set(key, 'kept', { ttl: minute })
            await target.cutOff()
            await target.cache.get(key).catch(() => undefined)
            await target.restore()
            const deadline = performance.now() + within + 10_000
            let read = await settle(target.cache.get(key))
            while (!read.resolved && performance.now() < deadline) {
              await sleep(100)
              read = await settle(target.cache.get(key))
            }
            expect(read).toEqual({ resolved: true, value: 'kept' })
          } finally {
            await target.close?.()
          }
        })
      })
    }

    describe('concurrency', () => {
      it('loses none of many concurrent writes to different keys', async () => {
        const keys = Array.from({ length: 50 }, () => fresh())
        await Promise.all(keys.map((key, i) => cache.set(key, { i, key }, { ttl: minute })))
        expect(await Promise.all(keys.map((key) => cache.get(key)))).toEqual(keys.map((key, i) => ({ i, key })))
      })

      it('concurrent writes to one key leave one of them whole', async () => {
        const key = fresh()
        const writes = Array.from({ length: 20 }, (_, i) => ({ writer: i, payload: String(i).repeat(100) }))
        await Promise.all(writes.map((value) => cache.set(key, value, { ttl: minute })))
        expect(writes).toContainEqual(await cache.get(key))
      })
    })
  })
}
