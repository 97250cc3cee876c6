import { describe, expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createConfiguredApp } from './app.js'

describe('the config example', () => {
  it('runs as development with the preset container and without the production routes', async () => {
    const app = await createConfiguredApp('development')
    const client = createTestClient(app)
    expect(await (await client.get('/')).json()).toEqual({ greeting: 'Hello from development', environment: 'development' })
    expect((await client.get('/health')).status).toBe(404)
    expect(app.container.native?.constructor.name).not.toBe('Container')
    await app.close()
  })

  it('runs as production with inversify and the extra route', async () => {
    const app = await createConfiguredApp('production')
    const client = createTestClient(app)
    expect(((await (await client.get('/')).json()) as { environment: string }).environment).toBe('production')
    expect(await (await client.get('/health')).text()).toBe('ok')
    expect(app.container.native?.constructor.name).toBe('Container')
    await app.close()
  })
})
