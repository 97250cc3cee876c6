import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { FetchHandler } from 'dovetailjs'
import { runServerConformance, serverCases } from 'dovetailjs/testing/conformance'
import { heldCases } from '../../core/testing/conformance/server-cases-held.js'
import { exchangeCases } from '../../core/testing/conformance/server-cases.js'
import { type KitTarget, startTarget } from '../../core/testing/conformance/server-target.js'

/**
 * The server kit fails an adapter that breaks the contract, and says how.
 * The adapter below makes three mistakes adapter authors make: it builds the
 * URL from a fixed host instead of the Host header, turns the headers into
 * an object (so only the last Set-Cookie survives), and resolves close() at
 * once, cutting the request in flight. Each case runs as the kit runs it,
 * against a started target; only the vitest wiring around it is left out.
 */
function naiveStart(handler: FetchHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks)
    const request = new Request(`http://localhost${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body })
    const response = await handler(request)
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: async () => {
          server.close()
          server.closeAllConnections()
        },
      }),
    ),
  )
}

/** Run one case against a fresh naive target; the error it fails with. */
async function failureOf(run: (target: KitTarget) => Promise<void>): Promise<string> {
  const target = await startTarget(naiveStart)
  try {
    await run(target)
  } catch (error) {
    return `${(error as Error).message}\n${JSON.stringify((error as { actual?: unknown }).actual)}`
  } finally {
    await target.dispose()
  }
  throw new Error('the case passed against an adapter that breaks it')
}

describe('the server kit fails an adapter that breaks the contract', () => {
  it('request-url: a URL built from a fixed host, not the Host header', async () => {
    expect(await failureOf(exchangeCases['request-url'].run)).toContain('http://localhost/hello/w%C3%B6rld')
  })

  it('set-cookie: headers flattened into an object, so only the last Set-Cookie line is left', async () => {
    expect(await failureOf(exchangeCases['set-cookie'].run)).toContain('"d=4; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/"]')
  })

  it('graceful-close: a close() that resolves at once and cuts the request in flight', async () => {
    expect(await failureOf(heldCases['graceful-close'].run)).toContain('close() resolved while a request was still in the handler')
  })
})

describe('runServerConformance refuses a skip it cannot honour', () => {
  const start = naiveStart

  it('a name that is not a case, listing the cases', () => {
    expect(() => runServerConformance({ name: 'x', start, skip: { 'keep-alive': 'no reason' } as never })).toThrow(
      `runServerConformance: skip names 'keep-alive', which is not a case. The cases: ${serverCases.join(', ')}.`,
    )
  })

  it('a skip without a reason', () => {
    expect(() => runServerConformance({ name: 'x', start, skip: { streaming: ' ' } })).toThrow("skip 'streaming' needs a reason")
  })
})
