import { fileURLToPath } from 'node:url'
import { createApp, defineConfig, type Middleware } from 'dovetailjs'
import { eta } from 'dovetailjs/components/template/eta'

export interface Product {
  id: string
  name: string
  price: number
}

const products: Product[] = [
  { id: 'teapot', name: 'Teapot <large>', price: 24 },
  { id: 'cup', name: 'Cup & saucer', price: 7.5 },
]

// Per-request names for every template: what a CSRF or flash middleware does the same way.
const currentPath: Middleware = (ctx, next) => {
  ctx.state.templateGlobals = { ...(ctx.state.templateGlobals as object | undefined), currentPath: ctx.path }
  return next()
}

/** A shop front rendered with eta: a layout, a page per route, a partial per product. */
export const createShopApp = (environment = 'production') =>
  createApp(
    defineConfig({
      environment,
      components: {
        template: eta({
          views: fileURLToPath(new URL('./views', import.meta.url)),
          helpers: { money: (n: number) => `€${n.toFixed(2)}` },
          globals: { siteName: 'Teashop' },
        }),
      },
      middleware: [currentPath],
      routes(r) {
        r.get('/', (ctx) => ctx.render('products/index', { title: 'Products', products }), { name: 'products' })
        r.get('/products/:id', (ctx) => {
          const product = products.find((p) => p.id === ctx.params.id)
          if (!product) return ctx.render('not-found', { title: 'Not found' }, { status: 404 })
          return ctx.render('products/show', { title: product.name, product })
        }, { name: 'product' })
      },
    }),
  )
