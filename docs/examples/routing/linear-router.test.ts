import { describe, expect, it } from 'vitest'
import { createApp, withComponents } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { runRouterConformance } from 'dovetailjs/testing/conformance'
import { config } from './app.js'
import { LinearRouter, linear } from './linear-router.js'

// The contract, exactly as the built-in radix router runs it.
runRouterConformance({ name: 'router/linear (docs example)', createRouter: () => new LinearRouter() })

describe('the linear router in an app', () => {
  it('serves the routing example in place of the built-in', async () => {
    const app = await createApp(withComponents(config, { router: linear }))
    const client = createTestClient(app)
    expect(await (await client.get('/users/a%20b')).json()).toEqual({ id: 'a b' })
    expect((await client.delete('/items')).headers.get('allow')).toBe('GET, HEAD, POST')
    expect(await (await client.get('/reports/2024')).json()).toEqual({ year: '2024', path: '/2024' })
    expect(app.url('file', { '*': 'a b/c' })).toBe('/files/a%20b/c')
    await app.close()
  })
})
