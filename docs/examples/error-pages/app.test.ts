import { expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createShopApp } from './app.js'

const browser = { accept: 'text/html' }

it('the error-pages example: the debug page in development, a plain page in production, JSON for API clients', async () => {
  const dev = createTestClient(await createShopApp('development', 'silent'))
  const debug = await (await dev.get('/pay', { headers: browser })).text()
  expect(debug).toContain('Error: card declined for 42 &lt;EUR&gt;')
  expect(debug).toContain('FIXTURE-THROW-LINE')

  const prod = createTestClient(await createShopApp('production', 'silent'))
  const res = await prod.get('/pay', { headers: browser })
  const plain = await res.text()
  expect(res.status).toBe(500)
  expect(plain).toContain('Something went wrong')
  expect(plain).toContain(res.headers.get('x-request-id'))
  expect(plain).not.toContain('card declined')
  expect(plain).not.toContain('FIXTURE-THROW-LINE')

  const api = await prod.get('/nowhere', { headers: { accept: 'application/json' } })
  expect(await api.json()).toEqual({
    error: { status: 404, code: 'DOVETAIL_ERR_HTTP_NOT_FOUND', message: 'Not Found', requestId: api.headers.get('x-request-id') },
  })
})
