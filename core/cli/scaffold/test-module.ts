import { traitsOf, type ProjectChoices } from './choices.js'

/**
 * `test/app.test.ts`: the app answering requests without a socket, through
 * `createTestClient`, in the `test` environment (for presets with a database,
 * app.ts gives it an in-memory one, migrated here).
 *
 * @example
 * testModule({ preset: 'minimal', ... }) // imports createTestClient, asks /hello/Ada
 */
export function testModule(choices: ProjectChoices): string {
  const { hasOrm, fullstack } = traitsOf(choices)
  const dovetail = ['type App', 'createApp', ...(hasOrm ? ['Orm'] : [])].join(', ')
  const tests: string[] = []
  if (fullstack) {
    tests.push(`it('adds a note through the form, with the page\\'s CSRF token', async () => {
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
})`)
  } else if (hasOrm) {
    tests.push(`it('stores a note and lists it', async () => {
  const client = createTestClient(app)
  const created = await client.post('/notes', { json: { text: ' first ' } })
  expect(created.status).toBe(201)
  expect(await created.json()).toEqual({ id: 1, text: 'first' })
  expect(await (await client.get('/notes')).json()).toEqual([{ id: 1, text: 'first' }])
  expect(await (await client.get('/notes/1')).json()).toEqual({ id: 1, text: 'first' })
})

it('answers errors as JSON', async () => {
  const client = createTestClient(app)
  const invalid = await client.post('/notes', { json: { text: '' } })
  expect(invalid.status).toBe(422)
  expect(await invalid.json()).toMatchObject({ error: { status: 422, message: 'text must be a non-empty string' } })
  const missing = await client.get('/notes/99')
  expect(missing.status).toBe(404)
  expect(await missing.json()).toMatchObject({ error: { status: 404, message: 'No note with id 99' } })
})`)
  } else {
    tests.push(`it('greets by name', async () => {
  const res = await createTestClient(app).get('/hello/Ada')
  expect(res.status).toBe(200)
  expect(await res.json()).toEqual({ message: 'Hello, Ada!' })
})

it('answers 404 for a path with no route', async () => {
  expect((await createTestClient(app).get('/nowhere')).status).toBe(404)
})`)
  }
  if (choices.template && !fullstack) {
    tests.push(`it('renders the home page from views/', async () => {
  const res = await createTestClient(app).get('/')
  expect(res.headers.get('content-type')).toContain('text/html')
  expect(await res.text()).toContain('<h1>${choices.name}</h1>')
})`)
  }
  return `import { afterAll, beforeAll, expect, it } from 'vitest'
import { ${dovetail} } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import config from '../app.js'

let app: App

beforeAll(async () => {
  app = await createApp({ ...config, environment: 'test' })${hasOrm ? '\n  await app.resolve(Orm).migrate()' : ''}
})

afterAll(() => app.close())

${tests.join('\n\n')}
`
}
