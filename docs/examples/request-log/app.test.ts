import { Writable } from 'node:stream'
import { expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createRequestLogApp } from './app.js'

it('the request-log example logs one line per request, keeping the proxy id', async () => {
  let written = ''
  const app = await createRequestLogApp(
    new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk)
        done()
      },
    }),
  )
  const client = createTestClient(app)
  const res = await client.get('/orders/7', { headers: { 'x-request-id': 'edge-1234' } })
  expect(res.headers.get('x-request-id')).toBe('edge-1234')
  expect(await res.json()).toEqual({ order: '7', requestId: 'edge-1234' })
  expect((await client.get('/missing')).status).toBe(404)
  await app.close()

  const lines = written.trim().split('\n').map((l) => JSON.parse(l))
  expect(lines).toEqual([
    expect.objectContaining({ requestId: 'edge-1234', method: 'GET', path: '/orders/7', status: 200, msg: 'GET /orders/7 200' }),
    expect.objectContaining({ method: 'GET', path: '/missing', status: 404 }),
  ])
})
