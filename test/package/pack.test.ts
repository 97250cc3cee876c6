/**
 * The package as a user gets it: `npm pack` (whose prepack step builds dist/
 * with tsconfig.build.json), then `npm install <tarball>` into an empty project
 * in the OS temp dir, then a small app that imports only the package's public
 * entry points and serves a request over a real socket.
 *
 * The pack runs on a copy of the checkout (the files git would commit, with
 * node_modules linked), so the repo never gets a dist/ or a .tgz, and a build
 * running elsewhere in the checkout cannot race with this one.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('../../', import.meta.url))

// A test run under `npm test` inherits npm_config_* settings meant for the repo; the
// nested npm commands must behave as they would for a user.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)))

const npm = async (args: string[], cwd: string): Promise<string> => {
  try {
    const { stdout } = await run('npm', args, { cwd, env: cleanEnv, maxBuffer: 64 * 1024 * 1024 })
    return stdout
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`)
  }
}

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
import minimal from 'dovetailjs/presets/minimal'
const router = new RadixRouter()
router.add({ methods: ['GET'], path: '/p/:id', handler: () => new Response('x') })
const match = router.match('GET', '/p/7')
console.log(JSON.stringify({ kind: match.kind, id: match.params?.id, preset: minimal.name, container: awilix.definition.name }))
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
    temp = mkdtempSync(join(tmpdir(), 'dovetail-pack-'))
    const stage = join(temp, 'stage')
    const { stdout: listed } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: repo,
      maxBuffer: 64 * 1024 * 1024,
    })
    for (const file of listed.split('\0')) {
      if (!file || !existsSync(join(repo, file))) continue
      mkdirSync(dirname(join(stage, file)), { recursive: true })
      cpSync(join(repo, file), join(stage, file))
    }
    symlinkSync(join(repo, 'node_modules'), join(stage, 'node_modules'), 'dir')

    const out = join(temp, 'out')
    mkdirSync(out)
    const packed = JSON.parse(await npm(['pack', '--json', '--pack-destination', out], stage)) as [{ filename: string; files: { path: string }[] }]
    tarball = join(out, packed[0].filename)
    packedFiles = packed[0].files.map((f) => f.path)

    consumer = join(temp, 'consumer')
    mkdirSync(consumer)
    // Without a package.json, npm would look upward for a project to install into.
    writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'dovetail-consumer', private: true, type: 'module' })}\n`)
    await npm(['install', tarball, '--no-audit', '--no-fund'], consumer)
    writeFileSync(join(consumer, 'app.mjs'), appSource)
    writeFileSync(join(consumer, 'subpath.mjs'), subpathSource)
    writeFileSync(join(consumer, 'types.ts'), typesSource)
  }, 240_000)

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL')
    if (temp) rmSync(temp, { recursive: true, force: true })
  })

  it('contains compiled JavaScript and declarations, and no sources or tests', () => {
    expect(packedFiles).toContain('package.json')
    expect(packedFiles).toContain('dist/core/index.js')
    expect(packedFiles).toContain('dist/core/index.d.ts')
    expect(packedFiles).toContain('dist/core/testing/index.js')
    expect(packedFiles).toContain('dist/components/router/radix/index.js')
    expect(packedFiles).toContain('dist/components/router/radix/index.d.ts')
    expect(packedFiles).toContain('dist/presets/minimal/index.js')
    const typescriptSources = packedFiles.filter((f) => /\.(c|m)?ts$/.test(f) && !/\.d\.(c|m)?ts$/.test(f))
    expect(typescriptSources).toEqual([])
    const tests = packedFiles.filter((f) => /(\.|\/)(test|spec|case)\.|(^|\/)(test|tests|__tests__|fixtures|__fixtures__)\//.test(f))
    expect(tests).toEqual([])
    expect(packedFiles.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f))).toEqual([])
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

  it('resolves subpath exports: components and presets', async () => {
    const { stdout } = await run(process.execPath, ['subpath.mjs'], { cwd: consumer })
    expect(JSON.parse(stdout)).toEqual({ kind: 'route', id: '7', preset: 'minimal', container: 'container/awilix' })
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
