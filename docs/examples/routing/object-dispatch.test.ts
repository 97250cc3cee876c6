import { afterAll, describe, expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createObjectDispatchApp } from './object-dispatch.js'

describe('the object dispatch example', async () => {
  const app = await createObjectDispatchApp()
  const client = createTestClient(app)
  afterAll(() => app.close())

  it('walks the tree: index for /, keys for segments, lookup() for the slug', async () => {
    expect(await (await client.get('/')).text()).toBe('home')
    expect(await (await client.get('/pages')).text()).toBe('all pages')
    expect(await (await client.get('/pages/about')).json()).toEqual({ title: 'About', body: 'We make joints.', edit: '/pages/about/edit' })
    expect(await (await client.get('/pages/about/edit')).text()).toBe('editing about')
    expect(await (await client.post('/pages/about')).text()).toBe('saved about')
    expect((await client.get('/pages/missing')).status).toBe(404)
  })

  it('takes params after a key, the rest in _default, and segments in a hand-written _lookup', async () => {
    expect(await (await client.get('/tags/a%20b')).text()).toBe('tag a b')
    expect(await (await client.get('/files/docs/read%20me.txt')).text()).toBe('file docs/read me.txt')
    expect(await (await client.get('/archive')).text()).toBe('every year')
    expect(await (await client.get('/archive/2024/05')).text()).toBe('archive of 05/2024')
    expect((await client.get('/archive/last/05')).status).toBe(404)
  })

  it('reaches only what is exposed', async () => {
    expect((await client.get('/pages/about/purge')).status).toBe(404)
    expect((await client.get('/archive/isYear')).status).toBe(404)
    expect((await client.get('/archive/_month')).status).toBe(404)
    expect((await client.get('/constructor')).status).toBe(404)
    const refused = await client.delete('/pages/about')
    expect(refused.status).toBe(405)
    expect(refused.headers.get('allow')).toBe('GET, HEAD, POST')
  })

  it('builds URLs from names, and keeps the routes added with routes(r)', async () => {
    expect(app.url('page.edit', { slug: 'a/b' })).toBe('/pages/a%2Fb/edit')
    expect(app.url('tag', { tag: 'a b' })).toBe('/tags/a%20b')
    expect(app.url('file', { '*': 'docs/read me.txt' })).toBe('/files/docs/read%20me.txt')
    expect(await (await client.get('/health')).json()).toEqual({ ok: true })
  })
})
