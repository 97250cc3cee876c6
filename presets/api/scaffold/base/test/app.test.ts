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

it('stores a note and lists it', async () => {
  const client = createTestClient(app)
  const created = await client.post('/notes', { json: { text: ' first ' } })
  expect(created.status).toBe(201)
  const note = (await created.json()) as { id: number; text: string }
  expect(note).toEqual({ id: expect.any(Number), text: 'first' })
  expect(await (await client.get('/notes')).json()).toContainEqual(note)
  expect(await (await client.get(`/notes/${note.id}`)).json()).toEqual(note)
})

it('answers errors as JSON', async () => {
  const client = createTestClient(app)
  const invalid = await client.post('/notes', { json: { text: '' } })
  expect(invalid.status).toBe(422)
  expect(await invalid.json()).toMatchObject({ error: { status: 422, message: 'text must be a non-empty string' } })
  const missing = await client.get('/notes/0')
  expect(missing.status).toBe(404)
  expect(await missing.json()).toMatchObject({ error: { status: 404, message: 'No note with id 0' } })
})
