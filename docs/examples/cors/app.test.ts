import { expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createNotesApi } from './app.js'

it('the cors example answers the SPA preflight and lets it read the notes, and no one else', async () => {
  const client = createTestClient(await createNotesApi())
  const spa = 'https://notes.example.com'

  const preflight = await client.request('OPTIONS', '/notes/1', {
    headers: { origin: spa, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type, x-csrf-token' },
  })
  expect(preflight.status).toBe(204)
  expect(Object.fromEntries([...preflight.headers].filter(([k]) => k.startsWith('access-control-') || k === 'vary'))).toEqual({
    'access-control-allow-origin': spa,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
    'access-control-allow-headers': 'content-type, x-csrf-token',
    'access-control-max-age': '3600',
    vary: 'Origin',
  })

  const put = await client.put('/notes/1', { json: { text: 'buy green tea' }, headers: { origin: spa } })
  expect(put.headers.get('access-control-allow-origin')).toBe(spa)
  expect(await put.json()).toEqual({ id: 1, text: 'buy green tea' })

  const stranger = await client.get('/notes', { headers: { origin: 'https://elsewhere.example' } })
  expect(stranger.headers.has('access-control-allow-origin')).toBe(false)
})
