import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ComponentSpec } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { memoryCache } from 'dovetailjs/components/cache/memory'
import { redisCache } from 'dovetailjs/components/cache/redis'
import { services, serviceAvailable } from '../../../test/support/services.js'
import { Catalogue, createShop } from './app.js'

const caches: [string, () => ComponentSpec][] = [['memory', () => memoryCache()]]
if (await serviceAvailable('redis')) {
  caches.push(['redis', () => redisCache({ url: services.redis.url, prefix: `test:${randomBytes(6).toString('hex')}:shop-cache:` })])
}

describe('the cache example', () => {
  it.each(caches)('serves product pages from the %s cache until the price changes', async (_name, cache) => {
    const catalogue = new Catalogue()
    const app = await createShop(cache(), catalogue)
    const client = createTestClient(app)
    const first = await client.get('/products/tea')
    expect(await first.text()).toBe('<h1>tea</h1><p>4 €</p>')
    expect((await client.get('/products/tea')).headers.get('cache-status')).toBe('dovetail; hit')
    expect((await client.get('/products/tea', { headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(304)
    expect(catalogue.reads).toBe(1)

    const prices = await Promise.all(Array.from({ length: 5 }, () => client.get('/products/coffee/price')))
    expect(await Promise.all(prices.map((p) => p.json()))).toEqual(Array.from({ length: 5 }, () => ({ id: 'coffee', price: 5 })))
    expect(catalogue.reads).toBe(2)

    await client.post('/products/tea/price?to=6')
    expect(await (await client.get('/products/tea')).text()).toBe('<h1>tea</h1><p>6 €</p>')
    expect(await (await client.get('/products/tea/price')).json()).toEqual({ id: 'tea', price: 6 })
    await app.close()
  })
})
