import { describe, expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createStaticApp } from './static.js'

describe('the static example', () => {
  it('serves the index, the stylesheet, 304s and ranges; refuses what is not there', async () => {
    const app = await createStaticApp()
    const client = createTestClient(app)
    expect((await client.get('/')).headers.get('location')).toBe('/static/')

    const index = await client.get('/static/')
    expect(index.status).toBe(200)
    expect(await index.text()).toContain('<h1>Served from disk</h1>')

    const css = await client.get('/static/css/site.css')
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(css.headers.get('cache-control')).toBe('public, max-age=3600')
    const etag = css.headers.get('etag')!
    expect((await client.get('/static/css/site.css', { headers: { 'if-none-match': etag } })).status).toBe(304)

    const part = await client.get('/static/css/site.css', { headers: { range: 'bytes=0-3' } })
    expect(part.status).toBe(206)
    expect(await part.text()).toBe('body')

    expect((await client.get('/static/missing.css')).status).toBe(404)
    await app.close()
  })
})
