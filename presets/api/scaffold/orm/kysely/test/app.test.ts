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
  expect(await invalid.json()).toMatchObject({ error: { status: 422, message: 'text: must not be empty' } })
  const missing = await client.get('/notes/999999')
  expect(missing.status).toBe(404)
  expect(await missing.json()).toMatchObject({ error: { status: 404, message: 'No note with id 999999' } })
})

/** How many notes the database holds, to show a refused request stored nothing. */
const noteCount = async () => Number(((await app.resolve(Orm).execute('select count(*) as n from note')) as Array<{ n: unknown }>)[0]!.n)

it('lists notes sorted and paged as asked', async () => {
  const client = createTestClient(app)
  for (const text of ['older', 'newer']) expect((await client.post('/notes', { json: { text } })).status).toBe(201)
  const [newest] = (await (await client.get('/notes?sort=-id&limit=1')).json()) as Array<{ text: string }>
  expect(newest).toMatchObject({ text: 'newer' })
  expect(await (await client.get('/notes?sort=-id&limit=1&offset=1')).json()).toMatchObject([{ text: 'older' }])
})

it('refuses an operator, an array or an unknown key where the text belongs with 422, and stores nothing', async () => {
  const client = createTestClient(app)
  const before = await noteCount()
  const bodies = [{ text: { $ne: null } }, { text: { $gt: '' } }, { text: { $like: '%' } }, { text: ['a', 'b'] }, { text: { nested: 'x' } }, { text: 'x', id: 1 }, { text: 'x'.repeat(501) }, [{ text: 'x' }], null]
  for (const json of bodies) {
    const refused = await client.post('/notes', { json })
    expect(refused.status, JSON.stringify(json)).toBe(422)
    expect(Object.keys(await refused.json())).toEqual(['error'])
  }
  expect(await noteCount()).toBe(before)
})

it('answers 400, with no note in the body, for an id that is not one, a sort it does not allow, paging out of bounds', async () => {
  const client = createTestClient(app)
  expect((await client.post('/notes', { json: { text: 'private' } })).status).toBe(201)
  const paths = [
    '/notes/abc', '/notes/1.5', '/notes/-1', '/notes/NaN', '/notes/99999999999',
    '/notes?sort=secret', '/notes?sort=text;drop%20table%20note', '/notes?sort=-id,-id',
    '/notes?limit=-1', '/notes?limit=1000', '/notes?limit=abc', '/notes?offset=-1', '/notes?text[$ne]=x',
  ]
  for (const path of paths) {
    const refused = await client.get(path)
    expect(refused.status, path).toBe(400)
    const body = await refused.text()
    expect(Object.keys(JSON.parse(body))).toEqual(['error'])
    expect(body).not.toContain('private')
  }
  expect(await (await client.get('/notes?sort=secret')).json()).toMatchObject({ error: { status: 400 } })
})
