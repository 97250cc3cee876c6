import { describe, expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createContainerExample, Pool } from './app.js'

describe.each(['awilix', 'inversify'] as const)('the container example (%s)', (container) => {
  it('borrows a connection per request, gives it back when the request ends, closes the pool at app.close()', async () => {
    const app = await createContainerExample(container)
    const client = createTestClient(app)
    const pool = app.resolve(Pool)

    expect(await (await client.get('/hello/Ada')).json()).toEqual({ message: 'Hello, Ada!', connection: 1, inUse: 1 })
    expect(pool.inUse.size).toBe(0)
    expect(await (await client.get('/hello/Bo')).json()).toEqual({ message: 'Hello, Bo!', connection: 2, inUse: 1 })
    expect(await (await client.get('/health')).json()).toEqual({ inUse: 0 })

    expect(pool.closed).toBe(false)
    await app.close()
    expect(pool.closed).toBe(true)
  })
})
