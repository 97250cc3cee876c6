import { afterEach, describe, expect, it } from 'vitest'
import { createApp, withComponents } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { killExamples, startExample } from '../../../test/support/example-process.js'
import { config } from './app.js'

afterEach(killExamples)

/** Start an example script on a free port; resolve with its URL once it says it listens. */
async function start(script: string) {
  const { listening, child, exited } = await startExample(`docs/examples/server/${script}`, /listening on (http:\/\/\S+)/)
  return { url: listening, child, exited }
}

async function readLines(res: Response): Promise<string[]> {
  return (await res.text()).trim().split('\n')
}

describe('the server example app', () => {
  it('streams, and counts a streamed upload, in process', async () => {
    const app = await createApp(config)
    const client = createTestClient(app)
    expect(await readLines(await client.get('/countdown?from=2'))).toEqual(['2', '1', 'liftoff'])
    expect(await (await client.post('/upload', { body: 'x'.repeat(100_000) })).json()).toEqual({ bytes: 100_000 })
    await app.close()
  })
})

describe.each(['main.ts', 'hono.ts', 'own-server.ts'])('docs/examples/server/%s', (script) => {
  it('serves the app over a socket and stops cleanly on SIGTERM', async () => {
    const { url, child, exited } = await start(script)
    expect(await (await fetch(`${url}/`)).text()).toBe('hello from the server example')
    const upload = await fetch(`${url}/upload`, { method: 'POST', body: new Uint8Array(1024 * 1024) })
    expect(await upload.json()).toEqual({ bytes: 1024 * 1024 })

    // A streamed response in flight when the signal comes still finishes.
    const countdown = await fetch(`${url}/countdown?from=3`)
    const reader = countdown.body!.getReader()
    const decoder = new TextDecoder()
    let text = decoder.decode((await reader.read()).value, { stream: true })
    expect(text.startsWith('3\n')).toBe(true)
    child.kill('SIGTERM')
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true })
    expect(text).toBe('3\n2\n1\nliftoff\n')
    expect(await exited).toBe(0)
  })
})

describe('docs/examples/server/fetch-host.ts', () => {
  it('answers requests as a bare fetch handler, with no server component', async () => {
    const { fetch: handler } = await import('./fetch-host.js')
    const res = await handler(new Request('http://localhost/countdown?from=1'))
    expect(await readLines(res)).toEqual(['1', 'liftoff'])
    expect(await (await handler(new Request('http://localhost/'))).text()).toBe('hello from the server example')
  })

  it('has no server to listen with: app.listen() says so', async () => {
    const app = await createApp(withComponents(config, { server: false }))
    await expect(app.listen({ port: 0 })).rejects.toMatchObject({ code: 'DOVETAIL_ERR_APP_NO_SERVER' })
    await app.close()
  })
})
