import { expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createGuestbook } from './app.js'

it('the csrf example accepts its own form and refuses a forged one', async () => {
  const { app, entries } = await createGuestbook('example-secret-0123456789-0123456789-abc')
  const client = createTestClient(app)

  const page = await client.get('/', { headers: { accept: 'text/html' } })
  const html = await page.text()
  expect(html).toMatch(/<input type="hidden" name="_csrf" value="[\w-]{86}">/)
  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!

  // What the page's own form sends.
  const signed = await client.post('/entries', { form: { _csrf: token, text: 'Lovely place' }, headers: { cookie } })
  expect(signed.status).toBe(303)

  // A form on another site, posting with the visitor's cookie but without the token.
  const forged = await client.post('/entries', { form: { text: 'Buy pills' }, headers: { cookie, accept: 'text/html' } })
  expect(forged.status).toBe(403)
  expect(await forged.text()).toContain('This form was refused because it carries no security token')

  // The same, from another origin, even with a token it somehow got.
  const crossSite = await client.post('/entries', { form: { _csrf: token, text: 'Buy pills' }, headers: { cookie, origin: 'https://evil.example' } })
  expect(crossSite.status).toBe(403)

  expect(entries).toEqual(['Lovely place'])
})
