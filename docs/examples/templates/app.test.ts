import { afterEach, describe, expect, it } from 'vitest'
import type { App } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { createShopApp } from './app.js'

let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

describe('the templates example', () => {
  it('renders the product list in the layout, escaped, with links and helpers', async () => {
    app = await createShopApp()
    const res = await createTestClient(app).get('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await res.text()
    expect(html).toContain('<title>Products · Teashop</title>')
    expect(html).toContain('<li><a href="/products/teapot">Teapot &lt;large&gt;</a> €24.00</li>')
    expect(html).toContain('<a href="/products/cup">Cup &amp; saucer</a> €7.50')
    expect(html).toContain('<a href="/" aria-current="page">All products</a>')
  })

  it('renders a product page, and a 404 page for an unknown product', async () => {
    app = await createShopApp()
    const client = createTestClient(app)
    const page = await client.get('/products/cup')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('<h1>Cup &amp; saucer</h1>')
    expect(html).toContain('<a href="/">All products</a>')
    const missing = await client.get('/products/kettle')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('<h1>No such product</h1>')
  })
})
