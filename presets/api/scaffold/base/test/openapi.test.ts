import { afterAll, beforeAll, expect, it } from 'vitest'
import { type App, createApp } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import config from '../app.js'

let app: App

beforeAll(async () => {
  app = await createApp({ ...config, environment: 'test' })
})

afterAll(() => app.close())

it('serves its OpenAPI document, listing the notes routes', async () => {
  const res = await createTestClient(app).get('/openapi.json')
  expect(res.status).toBe(200)
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> }
  expect(doc.openapi).toBe('3.1.1')
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/notes', '/notes/{id}']))
  expect(Object.keys(doc.paths['/notes']!)).toEqual(['get', 'post'])
})

it('serves the API reference page and its files from the installed swagger-ui-dist', async () => {
  const client = createTestClient(app)
  const page = await client.get('/docs')
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('/docs/assets/swagger-ui-bundle.js')
  const bundle = await client.get('/docs/assets/swagger-ui-bundle.js')
  expect(bundle.status).toBe(200)
  expect(bundle.headers.get('content-type')).toMatch(/javascript/)
})
