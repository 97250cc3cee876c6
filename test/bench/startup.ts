/**
 * Start-up to the first 200: the minimal, api and fullstack scaffolds made
 * from the packed tarball (`dovetail new`, `npm install`, migrations, `npm
 * run build`) and run as their production start (`node dist/server.js`,
 * NODE_ENV=production), beside Fastify's hello app; each started `runs` times,
 * in rotating order, timed from spawn to the first 200 on GET /.
 *
 *   npm run bench -- --startup [--startup-runs 10]
 */
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { npm, packedTarball, userEnv } from '../support/tarball.js'
import { formatTable } from './report.js'
import { median } from './stats.js'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('../../', import.meta.url))
const SECRET = 'a-session-secret-of-at-least-thirty-two-characters'

export interface StartupApp {
  name: string
  dir: string
  /** Arguments to node. */
  args: string[]
}

export interface StartupResult {
  name: string
  /** Milliseconds from spawn to the first 200, one per run. */
  times: number[]
}

/** A port free right now (the app binds it a moment later; nothing else on loopback is expected to take it). */
async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

const ok = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.end()
  })

/** Spawn the app, poll GET / every 5 ms, return ms to the first 200; the app is then killed. */
export async function timeToFirst200(app: StartupApp, limitMs = 60_000): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, app.args, {
    cwd: app.dir,
    env: userEnv({ NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', SESSION_SECRET: SECRET }),
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  try {
    while (performance.now() - started < limitMs) {
      if (child.exitCode !== null) throw new Error(`${app.name} exited with ${child.exitCode} before answering 200:\n${stderr}`)
      if (await ok(port)) return performance.now() - started
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    throw new Error(`${app.name} did not answer 200 on GET / within ${limitMs} ms:\n${stderr}`)
  } finally {
    if (child.exitCode === null) {
      const gone = once(child, 'exit')
      child.kill('SIGKILL')
      await gone
    }
  }
}

/** Scaffold, install, migrate and build one preset's project from the tarball; returns its folder. */
async function scaffold(temp: string, tarball: string, preset: string): Promise<string> {
  const name = `startup-${preset}`
  await run('npx', ['--yes', '--package', tarball, 'dovetail', 'new', name, '--preset', preset], { cwd: temp, env: userEnv() })
  const dir = join(temp, name)
  await npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], dir)
  const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
  if ('db:migrate' in scripts) await npm(['run', 'db:migrate'], dir, userEnv({ SESSION_SECRET: SECRET }))
  await npm(['run', 'build'], dir)
  return dir
}

/** Fastify's hello app, in plain JavaScript, Fastify from this checkout's node_modules. */
function fastifyHello(temp: string): StartupApp {
  writeFileSync(
    join(temp, 'fastify-hello.mjs'),
    `import Fastify from ${JSON.stringify(join(repo, 'node_modules', 'fastify', 'fastify.js'))}\n` +
      `const app = Fastify({ logger: true })\n` +
      `app.get('/', async () => ({ hello: 'world' }))\n` +
      `await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })\n`,
  )
  return { name: 'fastify hello (logger on)', dir: temp, args: ['fastify-hello.mjs'] }
}

export async function runStartup(runs: number, log: (line: string) => void): Promise<StartupResult[]> {
  const temp = mkdtempSync(join(tmpdir(), 'dovetail-startup-'))
  try {
    log('startup: packing the tarball and scaffolding minimal, api and fullstack (npm install, migrations, build)...')
    const tarball = await packedTarball()
    const apps: StartupApp[] = [fastifyHello(temp)]
    for (const preset of ['minimal', 'api', 'fullstack']) {
      apps.push({ name: `dovetail ${preset} scaffold`, dir: await scaffold(temp, tarball, preset), args: ['dist/server.js'] })
    }
    const results = apps.map((app) => ({ name: app.name, times: [] as number[] }))
    // One untimed start each: the first start after a build reads files the page cache does not hold yet.
    for (const app of apps) await timeToFirst200(app)
    for (let i = 0; i < runs; i++) {
      for (let k = 0; k < apps.length; k++) {
        const index = (k + i) % apps.length
        const ms = await timeToFirst200(apps[index]!)
        results[index]!.times.push(ms)
        log(`startup run ${i + 1}/${runs}  ${apps[index]!.name.padEnd(28)} ${ms.toFixed(0)} ms`)
      }
    }
    return results
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

export function formatStartup(results: readonly StartupResult[]): string {
  const base = results.find((r) => r.name.startsWith('fastify'))
  return formatTable(
    ['app (production start, compiled JS)', 'runs', 'median ms to first 200', 'min', 'max', 'ratio to fastify hello'],
    results.map((r) => [
      r.name,
      String(r.times.length),
      median(r.times).toFixed(0),
      Math.min(...r.times).toFixed(0),
      Math.max(...r.times).toFixed(0),
      base ? (median(r.times) / median(base.times)).toFixed(2) : 'n/a',
    ]),
    new Set([1, 2, 3, 4, 5]),
  )
}
