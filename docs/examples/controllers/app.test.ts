import { describe, expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createNotesApp } from './app.js'

describe.each(['awilix', 'inversify'] as const)('the controllers example on %s', (container) => {
  it('resolves the controller per request with its dependencies injected', async () => {
    const app = await createNotesApp(container)
    const client = createTestClient(app)
    const index = (await (await client.get('/notes')).json()) as { label: string; notes: string[] }
    expect(index.notes).toEqual(['/notes/welcome'])
    const show = (await (await client.get('/notes/welcome')).json()) as { label: string; note: { text: string } }
    expect(show.note.text).toBe('Hello from a controller')
    // A new controller, and a new scoped label, for every request.
    expect(show.label).not.toBe(index.label)
    const missing = await client.get('/notes/nope', { headers: { accept: 'application/json' } })
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe('No note named nope')
    await app.close()
  })
})
