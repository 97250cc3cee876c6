/**
 * The package as a user gets it: `npm pack`'s tarball (test/support/tarball.ts,
 * shared with the other package tests), installed into an empty project in the
 * OS temp dir, then a small app that imports only the package's public entry
 * points and serves a request over a real socket.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installProject, packedTarball } from '../support/tarball.js'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('../../', import.meta.url))

const appSource = `import { createApp, defineConfig, defineComponent } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
const stamp = defineComponent({ name: 'stamp', slot: 'middleware', contract: '^1.0',
  middleware: () => async (ctx, next) => { const res = await next(); res.headers.set('x-stamp', 'from-the-tarball'); return res } })
const app = await createApp(defineConfig({ components: { middleware: [stamp()] },
  routes(r) { r.get('/hello/:name', (ctx) => ctx.text(\`Hello \${ctx.params.name}, installed from a tarball\`)) } }))
const inProcess = await createTestClient(app).get('/hello/client')
if ((await inProcess.text()) !== 'Hello client, installed from a tarball') throw new Error('createTestClient got the wrong body')
const server = await app.listen({ port: 0 })
console.log(server.url)
`

const subpathSource = `import { RadixRouter } from 'dovetailjs/components/router/radix'
import awilix from 'dovetailjs/components/container/awilix'
import minimal from 'dovetailjs/presets/minimal/preset.json' with { type: 'json' }
const router = new RadixRouter()
router.add({ methods: ['GET'], path: '/p/:id', handler: () => new Response('x') })
const match = router.match('GET', '/p/7')
// The cache slot by its built-in name (its lru-cache dependency installed with the package), and route caching.
import { createApp, defineConfig } from 'dovetailjs'
import { cacheResponse } from 'dovetailjs/components/middleware/cache-response'
const cached = await createApp(defineConfig({ components: { cache: 'memory' }, routes(r) { r.get('/c', (ctx) => ctx.text('c'), { use: [cacheResponse({ ttl: 60_000 })] }) } }))
await cached.fetch(new Request('http://x/c'))
const cache = (await cached.fetch(new Request('http://x/c'))).headers.get('cache-status')
await cached.close()
console.log(JSON.stringify({ kind: match.kind, id: match.params?.id, preset: minimal.name, container: awilix.definition.name, cache }))
`

// Types as a TypeScript user sees them, through the "types" conditions of the exports map.
const typesSource = `import { createApp, defineConfig, type App, type Context } from 'dovetailjs'
import { createTestClient, type TestClient } from 'dovetailjs/testing'
import { RadixRouter } from 'dovetailjs/components/router/radix'
const app: App = await createApp(defineConfig({ routes(r) { r.get('/', (ctx: Context) => ctx.text('hi')) } }))
const client: TestClient = createTestClient(app)
const status: number = (await client.get('/')).status
const router: RadixRouter = new RadixRouter({ ignoreTrailingSlash: true })
// @ts-expect-error: the options are typed, so a wrong one must not compile
new RadixRouter({ ignoreTrailingSlash: 'yes' })
export { status, router }
`

describe('the npm package', () => {
  let temp: string
  let tarball: string
  let packedFiles: string[]
  let consumer: string
  const children: ChildProcess[] = []

  beforeAll(async () => {
    tarball = await packedTarball()
    const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 64 * 1024 * 1024 })
    packedFiles = stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''))

    temp = mkdtempSync(join(tmpdir(), 'dovetail-pack-'))
    consumer = join(temp, 'consumer')
    mkdirSync(consumer)
    // Without a package.json, npm would look upward for a project to install into.
    writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'dovetail-consumer', private: true, type: 'module' })}\n`)
    await installProject(consumer)
    writeFileSync(join(consumer, 'app.mjs'), appSource)
    writeFileSync(join(consumer, 'subpath.mjs'), subpathSource)
    writeFileSync(join(consumer, 'types.ts'), typesSource)
  }, 240_000)

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL')
    if (temp) rmSync(temp, { recursive: true, force: true })
  })

  it('contains compiled JavaScript, declarations, presets and their scaffolds, and no sources or tests', () => {
    expect(packedFiles).toContain('package.json')
    expect(packedFiles).toContain('dist/core/index.js')
    expect(packedFiles).toContain('dist/core/index.d.ts')
    expect(packedFiles).toContain('dist/core/testing/index.js')
    expect(packedFiles).toContain('dist/components/router/radix/index.js')
    expect(packedFiles).toContain('dist/components/router/radix/index.d.ts')
    expect(packedFiles).toContain('presets/minimal/preset.json')
    // npm drops files named .gitignore from packages; the scaffold keeps it as gitignore.
    expect(packedFiles).toContain('presets/minimal/scaffold/base/gitignore')
    expect(packedFiles).toContain('presets/fullstack/scaffold/template/nunjucks/views/index.njk')
    // A scaffold's files are the project's sources and tests, written out by dovetail new: they belong in the package.
    const own = packedFiles.filter((f) => !/^presets\/[^/]+\/scaffold\//.test(f))
    const typescriptSources = own.filter((f) => /\.(c|m)?ts$/.test(f) && !/\.d\.(c|m)?ts$/.test(f))
    expect(typescriptSources).toEqual([])
    const tests = own.filter((f) => /(\.|\/)(test|spec|case)\.|(^|\/)(test|tests|__tests__|fixtures|__fixtures__)\//.test(f))
    expect(tests).toEqual([])
    const outside = own.filter((f) => !f.startsWith('dist/') && !/^presets\/[^/]+\/(preset\.json|README\.md)$/.test(f))
    expect(outside.filter((f) => !['package.json', 'README.md', 'LICENSE'].includes(f))).toEqual([])
  })

  it('serves a request from an app that imports the installed package', async () => {
    const child = spawn(process.execPath, ['app.mjs'], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    let stderr = ''
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`app.mjs exited with code ${code} before printing its URL:\n${stderr}`)
    })
    const firstLine = (async () => {
      for await (const line of createInterface({ input: child.stdout! })) return line
      throw new Error(`app.mjs printed nothing:\n${stderr}`)
    })()
    const url = await Promise.race([firstLine, exited])
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const res = await fetch(`${url}/hello/world`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-stamp')).toBe('from-the-tarball')
    expect(await res.text()).toBe('Hello world, installed from a tarball')
    expect((await fetch(`${url}/nowhere`)).status).toBe(404)

    exited.catch(() => {})
    child.kill('SIGTERM')
  })

  it('resolves subpath exports: components (the cache slot by name, route caching) and presets', async () => {
    const { stdout } = await run(process.execPath, ['subpath.mjs'], { cwd: consumer })
    expect(JSON.parse(stdout)).toEqual({ kind: 'route', id: '7', preset: 'minimal', container: 'container/awilix', cache: 'dovetail; hit' })
  })

  it('gives TypeScript users typed imports through the exports map', async () => {
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc')
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022']
    const typeRoots = ['--types', 'node', '--typeRoots', join(repo, 'node_modules', '@types'), '--skipLibCheck']
    const result = await run(process.execPath, [tsc, ...args, ...typeRoots, 'types.ts'], { cwd: consumer }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    )
    expect(result).toBe('')
  })
})
