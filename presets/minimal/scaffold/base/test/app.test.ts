import { afterAll, beforeAll, expect, it } from 'vitest'
import { type App, createApp } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import config from '../app.js'

let app: App

beforeAll(async () => {
  app = await createApp({ ...config, environment: 'test' })
})

afterAll(() => app.close())

it('greets by name', async () => {
  const res = await createTestClient(app).get('/hello/Ada')
  expect(res.status).toBe(200)
  expect(await res.json()).toEqual({ message: 'Hello, Ada!' })
})

it('answers 404 for a path with no route', async () => {
  expect((await createTestClient(app).get('/nowhere')).status).toBe(404)
})
