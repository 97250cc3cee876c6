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

it('shows the form again with the text sent and the message for a note longer than its column (422), and saves nothing', async () => {
  const client = createTestClient(app)
  const page = await client.get('/')
  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!

  const refused = await client.post('/notes', { form: { _csrf: token, text: `long ${'x'.repeat(500)}` }, headers: { cookie } })
  expect(refused.status).toBe(422)
  const html = await refused.text()
  expect(html).toContain('A note holds at most 500 characters.')
  // The form again with what was typed in it, and not in the list.
  expect(html).toContain(`value="long ${'x'.repeat(500)}"`)
  expect(html).not.toContain('<li>long xxx')
  expect(await (await client.get('/', { headers: { cookie } })).text()).not.toContain('long xxx')
})

it('answers a JSON body with an operator, a wrong type or no text with 422 naming the field, and saves nothing', async () => {
  const client = createTestClient(app)
  const page = await client.get('/')
  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
  for (const json of [{ text: { $ne: null } }, { text: 42 }, {}]) {
    const refused = await client.post('/notes', { json, headers: { cookie, 'x-csrf-token': token, accept: 'application/json' } })
    expect(refused.status, JSON.stringify(json)).toBe(422)
    expect(await refused.json()).toMatchObject({ code: 'DOVETAIL_ERR_VALIDATION_FAILED', errors: [{ in: 'body', path: 'text' }] })
  }
  expect(await (await client.get('/')).text()).not.toContain('<li>[object')
})
