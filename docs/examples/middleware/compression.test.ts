import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createCompressedApp } from './compression.js'

describe('the compression example', () => {
  it('compresses large and streamed bodies, not tiny ones', async () => {
    const app = await createCompressedApp()
    const client = createTestClient(app)
    const report = await client.get('/report', { headers: { 'accept-encoding': 'gzip' } })
    expect(report.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await report.arrayBuffer())).toString()).toBe('All systems nominal.\n'.repeat(200))

    const tiny = await client.get('/tiny', { headers: { 'accept-encoding': 'gzip, br' } })
    expect(tiny.headers.get('content-encoding')).toBeNull()
    expect(await tiny.json()).toEqual({ ok: true })

    const feed = await client.get('/feed', { headers: { 'accept-encoding': 'gzip' } })
    expect(feed.headers.get('content-encoding')).toBe('gzip')
    const lines = gunzipSync(Buffer.from(await feed.arrayBuffer())).toString().trim().split('\n')
    expect(lines).toHaveLength(100)
    expect(JSON.parse(lines[99]!)).toEqual({ item: 99 })
    await app.close()
  })
})
