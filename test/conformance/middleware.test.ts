import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { runMiddlewareConformance } from 'dovetailjs/testing/conformance'
import { auth } from 'dovetailjs/components/middleware/auth'
import { body } from 'dovetailjs/components/middleware/body'
import { compression } from 'dovetailjs/components/middleware/compression'
import { cors } from 'dovetailjs/components/middleware/cors'
import { csrf } from 'dovetailjs/components/middleware/csrf'
import { errorPages } from 'dovetailjs/components/middleware/error-pages'
import { requestLog } from 'dovetailjs/components/middleware/request-log'
import { securityHeaders } from 'dovetailjs/components/middleware/security-headers'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { openapi } from 'dovetailjs/components/middleware/openapi'
import { serveStatic } from 'dovetailjs/components/middleware/static'
import { transaction } from 'dovetailjs/components/middleware/transaction'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'

// Every built-in middleware, each with the options and the app around it that its README asks for.
const secrets = ['conformance-secret-0123456789-abcdefghij']
const withSession = () => ({ components: { 'session-store': 'memory' }, before: [sessionMiddleware({ secrets })] })

runMiddlewareConformance({ name: 'middleware/request-log', create: () => requestLog() })
runMiddlewareConformance({ name: 'middleware/security-headers', create: () => securityHeaders() })
runMiddlewareConformance({ name: 'middleware/session', create: () => sessionMiddleware({ secrets }), setup: () => ({ components: { 'session-store': 'memory' } }) })
runMiddlewareConformance({ name: 'middleware/csrf', create: () => csrf(), setup: withSession })
runMiddlewareConformance({ name: 'middleware/auth', create: () => auth({ loadUser: () => undefined }), setup: withSession })
runMiddlewareConformance({ name: 'middleware/error-pages', create: () => errorPages(), errors: 'respond' })
runMiddlewareConformance({ name: 'middleware/cors', create: () => cors({ origin: '*' }), headers: { origin: 'https://app.example' } })
// threshold 0 and gzip accepted: every body the suite sees is compressed, streamed ones as a stream.
runMiddlewareConformance({ name: 'middleware/compression', create: () => compression({ threshold: 0 }), headers: { 'accept-encoding': 'gzip' } })
runMiddlewareConformance({ name: 'middleware/body', create: () => body() })
runMiddlewareConformance({ name: 'middleware/openapi', create: () => openapi() })

const publicDir = mkdtempSync(join(tmpdir(), 'dovetail-static-conformance-'))
writeFileSync(join(publicDir, 'app.css'), 'body { margin: 0 }')
afterAll(() => rmSync(publicDir, { recursive: true, force: true }))
runMiddlewareConformance({ name: 'middleware/static', create: () => serveStatic({ root: publicDir }) })

// Every method in a transaction, so the suite's GETs run in one too.
runMiddlewareConformance({
  name: 'middleware/transaction',
  create: () => transaction({ methods: 'all' }),
  setup: () => ({ components: { orm: mikroOrm({ url: ':memory:' }) } }),
})
