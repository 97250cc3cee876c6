import { afterAll, describe, expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createRoutingApp } from './app.js'

describe('the routing example', async () => {
  const app = await createRoutingApp()
  const client = createTestClient(app)
  afterAll(() => app.close())

  it('decodes parameters and captures wildcards', async () => {
    expect(await (await client.get('/users/a%20b')).json()).toEqual({ id: 'a b' })
    expect(await (await client.get('/users/7/posts/42')).json()).toEqual({ id: '7', post: '42' })
    expect(await (await client.get('/files/docs/read%20me.txt')).text()).toBe('file docs/read me.txt')
  })

  it('answers HEAD from GET and 405 with Allow for other methods', async () => {
    const head = await client.head('/items')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const refused = await client.delete('/items')
    expect(refused.status).toBe(405)
    expect(refused.headers.get('allow')).toBe('GET, HEAD, POST')
    expect(await (await client.patch('/items/3')).text()).toBe('updated 3')
  })

  it('builds URLs from route names, encoding values', () => {
    expect(app.url('user', { id: 'a b' })).toBe('/users/a%20b')
    expect(app.url('user.post', { id: 7, post: 'x/y' })).toBe('/users/7/posts/x%2Fy')
    expect(app.url('file', { '*': 'docs/read me.txt' })).toBe('/files/docs/read%20me.txt')
    expect(app.url('api.status')).toBe('/api/v1/status')
    expect(() => app.url('nope')).toThrow(/Named routes: .*api\.status/)
  })

  it('runs controller actions with their dependencies', async () => {
    expect(await (await client.get('/pages/about')).json()).toEqual({ title: 'About', body: 'We make joints.', self: '/pages/about' })
    expect((await client.get('/pages/missing')).status).toBe(404)
  })

  it('serves groups', async () => {
    expect(await (await client.get('/api/v1/status')).json()).toEqual({ ok: true })
    expect(await (await client.put('/api/v1/echo')).text()).toBe('PUT')
  })

  it('hands mounted paths to the Hono app and the plain handler, prefix removed', async () => {
    expect(await (await client.get('/reports')).text()).toBe('reports index')
    expect(await (await client.get('/reports/2024')).json()).toEqual({ year: '2024', path: '/2024' })
    const created = await client.post('/reports', { json: { total: 3 } })
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({ received: { total: 3 } })
    expect(await (await client.get('/legacy/old/page')).text()).toBe('legacy handler saw /old/page')
  })
})
