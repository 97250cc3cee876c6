import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createLoggingApp } from './app.js'

it('the logging example writes a redacted JSON line per order, flushed at close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-logging-'))
  try {
    const file = join(dir, 'app.log')
    const app = await createLoggingApp(file)
    const res = await createTestClient(app).post('/orders', { json: { item: 'teapot', card: { number: '4111 1111 1111 1111' } } })
    expect(res.status).toBe(201)
    await app.close()
    const [line] = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(line).toMatchObject({ level: 30, service: 'shop', route: 'orders', item: 'teapot', card: { number: '[Redacted]' }, msg: 'order placed' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
