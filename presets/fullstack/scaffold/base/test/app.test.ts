import { afterAll, beforeAll, expect, it } from 'vitest'
import { type App, createApp, Orm } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import config from '../app.js'

let app: App

beforeAll(async () => {
  app = await createApp({ ...config, environment: 'test' })
  await app.resolve(Orm).migrate()
})

afterAll(() => app.close())

it("adds a note through the form, with the page's CSRF token", async () => {
  const client = createTestClient(app)
  const page = await client.get('/')
  expect(page.status).toBe(200)
  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!

  const added = await client.post('/notes', { form: { _csrf: token, text: 'Tea & <biscuits>' }, headers: { cookie } })
  expect(added.status).toBe(303)
  expect(added.headers.get('location')).toBe('/')
  // Escaped on the way out: the template engine's autoescape.
  expect(await (await client.get('/', { headers: { cookie } })).text()).toContain('<li>Tea &amp; &lt;biscuits&gt;</li>')
})

it('refuses a form without the token, and saves nothing', async () => {
  const client = createTestClient(app)
  const refused = await client.post('/notes', { form: { text: 'forged' } })
  expect(refused.status).toBe(403)
  expect(await (await client.get('/')).text()).not.toContain('forged')
})

it('shows the form again for a note longer than its column (422), and saves nothing', async () => {
  const client = createTestClient(app)
  const page = await client.get('/')
  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!

  const refused = await client.post('/notes', { form: { _csrf: token, text: `long ${'x'.repeat(500)}` }, headers: { cookie } })
  expect(refused.status).toBe(422)
  const html = await refused.text()
  expect(html).toContain('A note holds at most 500 characters.')
  expect(html).not.toContain('long xxx')
  expect(await (await client.get('/', { headers: { cookie } })).text()).not.toContain('long xxx')
})
