import { Cache, createApp, defineConfig, type ComponentSpec } from 'dovetailjs'
import { cacheResponse } from 'dovetailjs/components/middleware/cache-response'

/** A catalogue that is slow to read: what the cache saves. */
export class Catalogue {
  reads = 0
  readonly #prices = new Map<string, number>([
    ['tea', 4],
    ['coffee', 5],
  ])

  async price(id: string): Promise<number | undefined> {
    this.reads++
    await new Promise((resolve) => setTimeout(resolve, 20))
    return this.#prices.get(id)
  }

  setPrice(id: string, price: number): void {
    this.#prices.set(id, price)
  }
}

/** The tag of everything rendered from one product. */
const productTag = (id: string) => `product:${id}`

/**
 * A shop with two uses of the `cache` slot: a whole route's responses
 * (`cacheResponse`), and a value computed once for many requests
 * (`getOrCompute`). A price change clears what showed the old price, by tag.
 * The cache component is the caller's choice: `'memory'`, or `redisCache(...)`
 * when several processes serve the shop.
 */
export function createShop(cache: ComponentSpec, catalogue = new Catalogue()) {
  return createApp(
    defineConfig({
      components: { cache },
      register: (c) => void c.value(Catalogue, catalogue),
      routes(r) {
        r.get(
          '/products/:id',
          async (ctx) => {
            const price = await ctx.resolve(Catalogue).price(ctx.params.id!)
            return price === undefined ? ctx.notFound() : ctx.html(`<h1>${ctx.params.id}</h1><p>${price} €</p>`)
          },
          { use: [cacheResponse({ ttl: 10 * 60_000, tags: (ctx) => [productTag(ctx.params.id!)] })] },
        )
        r.get('/products/:id/price', async (ctx) => {
          const id = ctx.params.id!
          // Concurrent requests for one product wait for a single read.
          const price = await ctx.resolve(Cache).getOrCompute(`price:${id}`, async () => (await ctx.resolve(Catalogue).price(id)) ?? null, {
            ttl: 60_000,
            tags: [productTag(id)],
          })
          return ctx.json({ id, price })
        })
        r.post('/products/:id/price', async (ctx) => {
          const id = ctx.params.id!
          ctx.resolve(Catalogue).setPrice(id, Number(ctx.query.to))
          // Everything that showed the old price, in every process sharing the cache.
          await ctx.resolve(Cache).clearTag(productTag(id))
          return ctx.json({ id, price: Number(ctx.query.to) })
        })
      },
    }),
  )
}
