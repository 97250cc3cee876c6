/**
 * The benchmark's byte checks, without a server: a route is measured only if
 * its answer is what every other server answers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkDb, checkQueries, withHeaders, checkExact } from './db/checks.js'
import { fortunesToRender, JSON_TYPE, seededNumber } from './db/world.js'
import { wrkScript } from './wrk.js'

const answer = (body: string, type = JSON_TYPE, headers: Record<string, string> = {}) => ({ status: 200, type, body, headers: new Headers(headers) })

describe('bench: DB answers', () => {
  it('accepts a /db row only with the number seeded for its id, in the exact bytes', () => {
    expect(checkDb(answer(JSON.stringify({ id: 42, randomNumber: seededNumber(42) })))).toBeUndefined()
    expect(checkDb(answer(JSON.stringify({ id: 42, randomNumber: seededNumber(42) + 1 })))).toMatch(/not one seeded World row/)
    expect(checkDb(answer(`{"randomNumber":${seededNumber(42)},"id":42}`))).toMatch(/not one seeded World row/)
    expect(checkDb(answer(JSON.stringify({ id: 42, randomNumber: seededNumber(42) }), 'application/json'))).toMatch(/content-type/)
  })

  it('wants exactly the asked number of rows from /queries', () => {
    const rows = [1, 2, 3].map((id) => ({ id, randomNumber: seededNumber(id) }))
    expect(checkQueries(3)(answer(JSON.stringify(rows)))).toBeUndefined()
    expect(checkQueries(20)(answer(JSON.stringify(rows)))).toMatch(/not 20 seeded World rows/)
  })

  it('sorts the fortunes by message with the one added at request time', () => {
    expect(fortunesToRender([{ id: 1, message: 'b' }, { id: 2, message: 'A' }]).map((f) => f.message)).toEqual([
      'A',
      'Additional fortune added at request time.',
      'b',
    ])
  })
})

describe('bench: headers both servers must send', () => {
  const check = withHeaders(checkExact('text/plain', 'ok'), { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" }, { 'x-request-id': /^[0-9a-f-]{36}$/ })

  it('takes a policy written without the space after ; as the same policy', () => {
    const headers = { 'content-security-policy': "default-src 'none';frame-ancestors 'none'", 'x-request-id': '0b6f4a1e-8f6e-4c55-9a53-1e7d2f0a9c11' }
    expect(check(answer('ok', 'text/plain', headers))).toBeUndefined()
  })

  it('refuses a missing header and a request id of the wrong shape', () => {
    expect(check(answer('ok', 'text/plain', { 'x-request-id': '0b6f4a1e-8f6e-4c55-9a53-1e7d2f0a9c11' }))).toMatch(/content-security-policy/)
    expect(check(answer('ok', 'text/plain', { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'x-request-id': '7' }))).toMatch(
      /x-request-id/,
    )
  })
})

describe('bench: wrk scripts', () => {
  it('sends the method, body and headers of the request the check sent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'))
    try {
      const file = wrkScript(dir, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"widget"}' })
      expect(readFileSync(file, 'utf8')).toBe(
        'wrk.method = "POST"\nwrk.body = "{\\"name\\":\\"widget\\"}"\nwrk.headers["content-type"] = "application/json"\n',
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
