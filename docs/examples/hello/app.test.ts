import { describe, expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createHelloApp } from './app.js'

describe('the hello example', () => {
  it('serves its pages', async () => {
    const app = await createHelloApp()
    const client = createTestClient(app)
    const home = await client.get('/')
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('<a href="/hello/world">')
    expect(await (await client.get('/hello/Ada%20Lovelace')).text()).toBe('Hello, Ada Lovelace!')
    expect(await (await client.get('/api/hello/Ada')).json()).toEqual({ message: 'Hello, Ada!' })
    await app.close()
  })
})
