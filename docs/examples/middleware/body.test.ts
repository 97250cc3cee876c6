import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestClient } from 'dovetailjs/testing'
import { createBodyApp } from './body.js'

let base: string
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'dovetail-body-example-'))
})
afterEach(() => rm(base, { recursive: true, force: true }))

describe('the body example', () => {
  it('reads JSON, forms and uploads, and refuses what is too large', async () => {
    const dirs = { uploadsDir: join(base, 'tmp'), attachmentsDir: base }
    const app = await createBodyApp(dirs)
    const client = createTestClient(app)

    const created = await client.post('/api/notes', { json: { title: 'Groceries', text: 'milk' } })
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({ id: 1, title: 'Groceries', text: 'milk' })
    expect((await client.post('/api/notes', { form: { title: 'x' } })).status).toBe(415)
    expect((await client.post('/api/notes', { body: '{"title":', headers: { 'content-type': 'application/json' } })).status).toBe(400)

    const form = new FormData()
    form.append('title', 'Receipt')
    form.append('attachment', new File(['%PDF-1.7 ...'], 'receipt.pdf', { type: 'application/pdf' }))
    const posted = await client.post('/notes', { body: form })
    expect(posted.status).toBe(303)
    const note = await (await client.get(posted.headers.get('location')!)).json()
    expect(note.title).toBe('Receipt')
    expect(await readFile(note.attachment, 'utf8')).toBe('%PDF-1.7 ...')
    expect(await readdir(dirs.uploadsDir)).toEqual([])

    const huge = new FormData()
    huge.append('attachment', new File([new Uint8Array(3 * 1024 * 1024)], 'huge.bin'))
    const refused = await client.post('/notes', { body: huge })
    expect(refused.status).toBe(413)
    expect((await refused.json()).error.code).toBe('DOVETAIL_ERR_BODY_FILE_TOO_LARGE')
    expect(await readdir(dirs.uploadsDir)).toEqual([])
    await app.close()
  })
})
