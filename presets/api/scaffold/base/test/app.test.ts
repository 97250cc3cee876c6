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
  expect(invalid.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
  expect(await invalid.json()).toMatchObject({ status: 422, code: 'DOVETAIL_ERR_VALIDATION_FAILED', errors: [{ in: 'body', path: 'text', message: 'must not be empty' }] })
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

type Problem = { status: number; code: string; errors: Array<{ in: string; path: string; message: string }> }

it('refuses a wrong type, a missing field, an unknown key or an operator where the text belongs with 422 naming the field, and stores nothing', async () => {
  const client = createTestClient(app)
  const before = await noteCount()
  const bodies: Array<[unknown, string]> = [
    [{ text: 42 }, 'text'],
    [{}, 'text'],
    [{ text: 'x', id: 1 }, '(root)'],
    [{ text: { $ne: null } }, 'text'],
    [{ text: { $gt: '' } }, 'text'],
    [{ text: { $like: '%' } }, 'text'],
    [{ text: ['a', 'b'] }, 'text'],
    [{ text: { nested: 'x' } }, 'text'],
    [{ text: 'x'.repeat(501) }, 'text'],
    [[{ text: 'x' }], '(root)'],
    [null, '(root)'],
  ]
  for (const [json, path] of bodies) {
    const refused = await client.post('/notes', { json })
    expect(refused.status, JSON.stringify(json)).toBe(422)
    const problem = (await refused.json()) as Problem
    expect(problem.code).toBe('DOVETAIL_ERR_VALIDATION_FAILED')
    expect(problem.errors.map((e) => `${e.in} ${e.path}`), JSON.stringify(json)).toContain(`body ${path}`)
  }
  expect(await noteCount()).toBe(before)
})

it('answers 422 naming the parameter, with no note in the body, for an id that is not one or paging out of bounds', async () => {
  const client = createTestClient(app)
  expect((await client.post('/notes', { json: { text: 'private' } })).status).toBe(201)
  const paths: Array<[string, string]> = [
    ['/notes/abc', 'params id'], ['/notes/1.5', 'params id'], ['/notes/-1', 'params id'], ['/notes/NaN', 'params id'], ['/notes/99999999999', 'params id'],
    ['/notes?limit=-1', 'query limit'], ['/notes?limit=1000', 'query limit'], ['/notes?limit=abc', 'query limit'], ['/notes?offset=-1', 'query offset'],
    ['/notes?text[$ne]=x', 'query (root)'], ['/notes?limit=1&limit=2', 'query limit'],
  ]
  for (const [path, field] of paths) {
    const refused = await client.get(path)
    expect(refused.status, path).toBe(422)
    const body = await refused.text()
    expect((JSON.parse(body) as Problem).errors.map((e) => `${e.in} ${e.path}`), path).toContain(field)
    expect(body).not.toContain('private')
  }
})

it('answers 400 for a sort field the route does not list', async () => {
  const client = createTestClient(app)
  for (const path of ['/notes?sort=secret', '/notes?sort=text;drop%20table%20note', '/notes?sort=-id,-id']) {
    const refused = await client.get(path)
    expect(refused.status, path).toBe(400)
    expect(await refused.json()).toMatchObject({ error: { code: 'DOVETAIL_ERR_ORM_INPUT' } })
  }
})
