import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, Logger } from 'dovetailjs'
import { serveStatic } from 'dovetailjs/components/middleware/static'
import node from 'dovetailjs/components/server/node'
import { recordingLogger } from '../support/recording-logger.js'
import { rawRequest } from '../support/raw-http.js'

// Attempts to read files the static middleware must not serve, sent as raw
// request targets so no client library resolves or re-encodes them first.
// Whatever the status, the secret's bytes never appear in the response.

const SECRET = 'top-secret-bytes-4f1c'
let base: string
let app: App
let port: number

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'dovetail-security-static-'))
  const site = join(base, 'site')
  mkdirSync(join(site, 'css'), { recursive: true })
  mkdirSync(join(site, '.git'))
  writeFileSync(join(site, 'css', 'site.css'), 'body{}')
  writeFileSync(join(site, '.env'), SECRET)
  writeFileSync(join(site, '.git', 'config'), SECRET)
  writeFileSync(join(base, 'secret.txt'), SECRET)
  symlinkSync(join(base, 'secret.txt'), join(site, 'link.txt'))
  symlinkSync(base, join(site, 'up'))
  app = await createApp({
    environment: 'test',
    components: { server: node(), middleware: [serveStatic({ root: site, prefix: '/static', fallthrough: false })] },
    register: (c) => c.value(Logger, recordingLogger()),
  })
  port = (await app.listen({ port: 0 })).port
})
afterAll(async () => {
  await app.close()
  rmSync(base, { recursive: true, force: true })
})

const get = (target: string, headers = '') => rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`)

describe('static files: paths that climb out of the root are refused', () => {
  it.each([
    ['a raw dot-dot segment', '/static/../secret.txt', 400],
    ['an encoded dot-dot segment', '/static/%2e%2e/secret.txt', 400],
    ['a mixed-case encoded dot-dot', '/static/%2E./secret.txt', 400],
    ['a dot-dot after a folder', '/static/css/../../secret.txt', 400],
    ['an encoded slash inside a segment', '/static/..%2fsecret.txt', 404],
    ['an encoded backslash', '/static/..%5csecret.txt', 404],
    ['a raw backslash', '/static/..\\secret.txt', 400],
    ['an encoded NUL', '/static/css/site.css%00.txt', 400],
    ['an overlong UTF-8 dot', '/static/%c0%ae%c0%ae/secret.txt', 400],
    ['an empty segment', '/static//secret.txt', 404],
    ['a symlink to a file outside', '/static/link.txt', 404],
    ['a symlink to a folder outside', '/static/up/secret.txt', 404],
  ])('answers %s with %i and none of the file', async (_, target, status) => {
    const res = await get(target)
    expect(res.status).toBe(status)
    expect(res.raw).not.toContain(SECRET)
  })
})

describe('static files: dotfiles are treated as missing', () => {
  it.each([
    ['/static/.env', 404],
    ['/static/.git/config', 404],
    ['/static/%2eenv', 404],
    ['/static/css/../.env', 400],
  ])('answers %s with %i and none of the file', async (target, status) => {
    const res = await get(target)
    expect(res.status).toBe(status)
    expect(res.raw).not.toContain(SECRET)
  })
})

describe('static files: conditional requests', () => {
  it('answers 412 to If-Match with another entity tag, without the file', async () => {
    const res = await get('/static/css/site.css', 'If-Match: "not-this-one"\r\n')
    expect(res.status).toBe(412)
    expect(res.body).not.toContain('body{}')
  })

  it('answers 412 to If-Unmodified-Since before the file changed', async () => {
    const res = await get('/static/css/site.css', 'If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n')
    expect(res.status).toBe(412)
  })

  it('serves the file itself', async () => {
    const res = await get('/static/css/site.css')
    expect(res.status).toBe(200)
    expect(res.body).toBe('body{}')
  })
})
