import { expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createShop } from './app.js'

it('the session example keeps a cart across requests, shows a flash once, and clears it', async () => {
  const client = createTestClient(await createShop('example-secret-0123456789-0123456789-abc'))

  const added = await client.post('/cart/tea')
  expect(added.status).toBe(303)
  const [setCookie] = added.headers.getSetCookie()
  expect(setCookie).toMatch(/^sid=.+; Path=\/; Max-Age=\d+; Expires=.+; HttpOnly; SameSite=Lax$/)
  const cookie = setCookie!.split(';')[0]!

  await client.post('/cart/scones', { headers: { cookie } })
  expect(await (await client.get('/cart', { headers: { cookie } })).json()).toEqual({ cart: ['tea', 'scones'], flash: 'Added scones' })
  // The flash was shown once; reading the cart again changes nothing, so no cookie is sent.
  const again = await client.get('/cart', { headers: { cookie } })
  expect(await again.json()).toEqual({ cart: ['tea', 'scones'], flash: null })
  expect(again.headers.getSetCookie()).toEqual([])

  const cleared = await client.post('/cart/clear', { headers: { cookie } })
  expect(cleared.headers.getSetCookie()[0]).toMatch(/^sid=; .*Max-Age=0/)
  expect(await (await client.get('/cart', { headers: { cookie } })).json()).toEqual({ cart: [], flash: null })
})
