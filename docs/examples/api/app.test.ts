import { Writable } from 'node:stream'
import { expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createTodoApi } from './app.js'

it('the api preset example: JSON in and out, JSON errors, CORS for its client, one log line per request', async () => {
  let logs = ''
  const logTo = new Writable({
    write(chunk, _encoding, done) {
      logs += String(chunk)
      done()
    },
  })
  const app = await createTodoApi({ databaseUrl: ':memory:', logTo })
  const client = createTestClient(app)

  const created = await client.post('/todos', { json: { title: ' buy tea ' } })
  expect(created.status).toBe(201)
  expect(await created.json()).toEqual({ id: 1, title: 'buy tea', done: false })
  expect(await (await client.get('/todos')).json()).toEqual([{ id: 1, title: 'buy tea', done: false }])

  const invalid = await client.post('/todos', { json: { title: ' ' } })
  expect(invalid.status).toBe(422)
  expect(invalid.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
  expect(await invalid.json()).toEqual({
    type: 'about:blank',
    title: 'Unprocessable Content',
    status: 422,
    detail: 'Invalid body: body.title: must not be empty',
    code: 'DOVETAIL_ERR_VALIDATION_FAILED',
    errors: [{ in: 'body', path: 'title', message: 'must not be empty' }],
    requestId: invalid.headers.get('x-request-id'),
  })
  // An operator where a string belongs, or an id that is not one, never reaches a query.
  const operator = await client.post('/todos', { json: { title: { $ne: null } } })
  expect(operator.status).toBe(422)
  expect(await operator.json()).toMatchObject({ errors: [{ in: 'body', path: 'title', message: 'Invalid input: expected string, received object' }] })
  const notAnId = await client.get('/todos/abc')
  expect(notAnId.status).toBe(422)
  expect(await notAnId.json()).toMatchObject({ errors: [{ in: 'params', path: 'id', message: 'Invalid input: expected number, received NaN' }] })
  expect(await (await client.get('/todos')).json()).toEqual([{ id: 1, title: 'buy tea', done: false }])
  const missing = await client.get('/todos/9', { headers: { origin: 'https://todo.example.com' } })
  expect(missing.status).toBe(404)
  expect(await missing.json()).toMatchObject({ error: { message: 'No to-do with id 9' } })
  expect(missing.headers.get('access-control-allow-origin')).toBe('https://todo.example.com')

  await app.close()
  const lines = logs.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => 'durationMs' in l)
  expect(lines.map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual(['POST /todos 201', 'GET /todos 200', 'POST /todos 422', 'POST /todos 422', 'GET /todos/abc 422', 'GET /todos 200', 'GET /todos/9 404'])
})
