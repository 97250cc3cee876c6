import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, defineComponent, defineConfig, DovetailError, Logger, type SessionData, SessionStore } from 'dovetailjs'
import { readCookies, session, sessionMiddleware, sign, unsign } from 'dovetailjs/components/middleware/session'
import { CookieSessionStore } from 'dovetailjs/components/session-store/cookie'
import { MemorySessionStore } from 'dovetailjs/components/session-store/memory'
import { fuzzParameters, fuzzTimeout } from '../support/fuzz.js'
import { edits, mutateString, unchanged } from '../support/mutations.js'
import { recordingLogger } from '../support/recording-logger.js'

// Cookies are the one part of a request that claims an identity. Whatever a
// client puts in its Cookie header, the session code must not crash, must not
// throw anything but its documented errors, and must hand a handler a session
// only for the exact cookie value the app itself issued.

const SECRET = 'fuzz-secret-0123456789-0123456789-abcdef'
const OLD_SECRET = 'fuzz-old-secret-9876543210-9876543210-xyz'
const secrets = [SECRET, OLD_SECRET]

/** Any string of code units: what a caller of the helpers below could pass. */
const anyString = fc.string({ unit: 'binary', maxLength: 300 })
/** A character a Headers object accepts in a value (no NUL, CR or LF). */
const headerUnit = fc.oneof(fc.integer({ min: 0x20, max: 0xff }), fc.constant(0x09))
/** Cookie-ish text: mostly the characters a Cookie header is made of, so the parser's branches are reached. */
const cookieChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'sid=;. "-_abcXYZ019+/'.split('')) },
  { weight: 1, arbitrary: headerUnit.map((n) => String.fromCharCode(n)) },
)
const cookieText = fc.string({ unit: cookieChar, maxLength: 200 })
/** A value a Headers object takes as it is (Headers trims HTTP whitespace at both ends). */
const headerValue = (text: string): string => text.replace(/[\0\r\n]/g, '').replace(/^[\t ]+|[\t ]+$/g, '')

describe('the Cookie header parser (readCookies)', () => {
  it('never throws, and returns only non-empty values that occur in the header', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, cookieText), fc.constantFrom('sid', 'a', '__Host-sid'), (header, name) => {
        const values = readCookies(header, name)
        for (const value of values) {
          expect(value).not.toBe('')
          expect(header).toContain(value)
        }
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it('finds a value among any other cookies, quoted or not', () => {
    const token = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.+/='.split('')), minLength: 1, maxLength: 60 })
    const otherName = fc.string({ unit: fc.constantFrom(...'abcdefxyz_-'.split('')), minLength: 1, maxLength: 8 }).filter((n) => n !== 'sid')
    const other = fc.tuple(otherName, fc.string({ unit: fc.constantFrom(...'abc=019 "'.split('')), maxLength: 12 })).map(([n, v]) => `${n}=${v}`)
    fc.assert(
      fc.property(fc.array(other, { maxLength: 6 }), token, fc.nat(), fc.boolean(), (others, value, at, quoted) => {
        const parts = [...others]
        parts.splice(at % (parts.length + 1), 0, `sid=${quoted ? `"${value}"` : value}`)
        expect(readCookies(parts.join('; '), 'sid')).toContain(value)
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())
})

describe('signed cookie values (sign/unsign)', () => {
  it('never throws on any input, and verifies nothing it did not sign', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, cookieText), (raw) => {
        const verified = unsign(raw, secrets)
        // Anything that verifies is exactly what sign() makes for its value: the chance of a random string being one is nil.
        if (verified) expect(sign(verified.value, secrets[verified.index]!)).toBe(raw)
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it('refuses every changed form of a signed value, however small the change', () => {
    fc.assert(
      // Non-empty: unsign refuses an empty value outright, and the middleware never signs one (ids and sealed sessions are long).
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom(0, 1), edits(fc.integer({ min: 0, max: 0x7f })), (value, index, list) => {
        const signed = sign(value, secrets[index]!)
        const mutated = mutateString(signed, list)
        const verified = unsign(mutated, secrets)
        if (unchanged(signed, mutated)) expect(verified).toEqual({ value, index })
        else expect(verified).toBeUndefined()
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())
})

describe('the cookie session store (session-store/cookie)', () => {
  const store = new CookieSessionStore({ secrets })
  const sealedBy = (data: SessionData) => store.set('', data, 60_000)

  it('opens no arbitrary value: get() always resolves, to undefined', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyString, cookieText, fc.base64String({ maxLength: 400 }).map((b) => b.replace(/\+/g, '-').replace(/\//g, '_'))), async (raw) => {
        await expect(store.get(raw)).resolves.toBeUndefined()
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it('opens a changed sealed value only when it still decodes to the same bytes, and then to the same data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), edits(fc.integer({ min: 0, max: 0x7f })), async (data, list) => {
        const sealed = await sealedBy(data as SessionData)
        const mutated = mutateString(sealed, list)
        const opened = await store.get(mutated)
        const sameBytes = Buffer.from(mutated, 'base64url').equals(Buffer.from(sealed, 'base64url'))
        if (sameBytes) expect(opened).toEqual(JSON.parse(JSON.stringify(data)))
        else expect(opened).toBeUndefined()
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it('seals any JSON session or refuses it with its documented codes, never more than maxBytes', async () => {
    const small = new CookieSessionStore({ secrets, maxBytes: 512 })
    const value = fc.oneof({ weight: 9, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: fc.bigInt() })
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 20 }), value, { maxKeys: 8 }), async (data) => {
        try {
          const sealed = await small.set('', data as SessionData, 60_000)
          expect(sealed.length).toBeLessThanOrEqual(512)
          expect(await small.get(sealed)).toEqual(JSON.parse(JSON.stringify(data)))
        } catch (error) {
          expect(error).toBeInstanceOf(DovetailError)
          expect(['DOVETAIL_ERR_SESSION_COOKIE_TOO_LARGE', 'DOVETAIL_ERR_SESSION_NOT_SERIALIZABLE']).toContain((error as DovetailError).code)
        }
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())
})

describe('the session middleware, given any Cookie header', () => {
  const apps: Record<string, App> = {}
  const genuine: Record<string, string> = {}
  const logger = recordingLogger()

  const storeComponent = (store: SessionStore) =>
    defineComponent({ name: 'test/fuzz-store', slot: 'session-store', contract: '^1.0', register: (c) => void c.value(SessionStore, store) })()

  beforeAll(async () => {
    for (const [kind, store] of [['cookie store', new CookieSessionStore({ secrets })], ['memory store', new MemorySessionStore()]] as const) {
      const app = await createApp(
        defineConfig({
          environment: 'test',
          components: { 'session-store': storeComponent(store), middleware: [sessionMiddleware({ secrets })] },
          register: (c) => void c.value(Logger, logger),
          routes(r) {
            r.get('/read', async (ctx) => {
              const s = await session(ctx)
              return ctx.json({ isNew: s.isNew, data: s.toJSON() })
            })
            r.post('/login', async (ctx) => {
              ;(await session(ctx)).set('user', 'ada')
              return ctx.text('in')
            })
          },
        }),
      )
      apps[kind] = app
      const setCookie = (await app.fetch(new Request('http://localhost/login', { method: 'POST' }))).headers.get('set-cookie')!
      genuine[kind] = /^sid=([^;]+)/.exec(setCookie)![1]!
    }
  })
  afterAll(async () => {
    for (const app of Object.values(apps)) await app.close()
  })

  /** A header made of fragments of the genuine cookie, random cookie text, and edits of the genuine cookie. */
  const cookieHeader = (real: string) =>
    fc
      .array(
        fc.oneof(
          cookieText,
          edits(headerUnit).map((list) => `sid=${mutateString(real, list)}`),
          fc.nat().map((n) => `sid=${real.slice(0, n % real.length)}`),
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((parts) => headerValue(parts.join('; ')))

  for (const kind of ['cookie store', 'memory store']) {
    it(`with the ${kind}: always 200, and the signed-in session only for the exact cookie the app issued`, async () => {
      const real = genuine[kind]!
      await fc.assert(
        fc.asyncProperty(cookieHeader(real), async (header) => {
          const response = await apps[kind]!.fetch(new Request('http://localhost/read', { headers: { cookie: header } }))
          expect(response.status).toBe(200)
          const seen = (await response.json()) as { isNew: boolean; data: SessionData }
          const carriesIt = readCookies(header, 'sid').includes(real)
          if (carriesIt) expect(seen).toEqual({ isNew: false, data: { user: 'ada' } })
          else expect(seen).toEqual({ isNew: true, data: {} })
        }),
        fuzzParameters(),
      )
      expect(logger.errors).toEqual([])
    }, fuzzTimeout())
  }
})
