import { describe, expect, it } from 'vitest'
import { createApp, DovetailError } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { requestTimer } from './request-timer.js'

describe('writing a component', () => {
  const routes = (r: any) => r.get('/', (ctx: any) => ctx.text('ok'))

  it('adds its header to every response', async () => {
    const app = await createApp({ routes, components: { middleware: [requestTimer({ metric: 'total' })] } })
    const res = await createTestClient(app).get('/')
    expect(res.headers.get('server-timing')).toMatch(/^total;dur=\d+\.\d{2}$/)
    await app.close()
  })

  it('refuses a bad option at startup, naming the component and the option', async () => {
    const error = await createApp({ routes, components: { middleware: [requestTimer({ metric: 'Not Valid' })] } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DovetailError)
    expect((error as DovetailError).message).toContain("'acme/request-timer'")
    expect((error as DovetailError).message).toContain("option 'metric'")
  })
})
