import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SessionStore } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import type { RedisSessionStore } from 'dovetailjs/components/session-store/redis'
import { services, serviceAvailable } from '../../../test/support/services.js'
import { createCounter, type StoreChoice } from './app.js'

const dir = mkdtempSync(join(tmpdir(), 'dovetail-stores-example-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const choices: StoreChoice[] = [{ kind: 'memory' }, { kind: 'cookie' }, { kind: 'sql', url: join(dir, 'app.db') }]
if (await serviceAvailable('redis')) choices.push({ kind: 'redis', url: services.redis.url })

describe('the session-stores example', () => {
  it.each(choices)('counts visits with the $kind store', async (choice) => {
    const app = await createCounter(choice, 'example-secret-0123456789-0123456789-abc')
    const client = createTestClient(app)
    const first = await client.post('/visit')
    expect(await first.json()).toEqual({ visits: 1 })
    let cookie = first.headers.getSetCookie()[0]!.split(';')[0]!
    for (const visits of [2, 3]) {
      const res = await client.post('/visit', { headers: { cookie } })
      expect(await res.json()).toEqual({ visits })
      // Only the cookie store sends a new cookie each time: the session is in it.
      if (choice.kind === 'cookie') cookie = res.headers.getSetCookie()[0]!.split(';')[0]!
      else expect(res.headers.getSetCookie()).toEqual([])
    }
    if (choice.kind === 'redis') {
      const redis = (app.resolve(SessionStore) as RedisSessionStore).client
      const keys = await redis.keys('counter:sess:*')
      if (keys.length) await redis.del(...keys)
    }
    await app.close()
  })
})
