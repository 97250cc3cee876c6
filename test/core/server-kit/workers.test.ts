/**
 * runWorkers (dovetailjs/server-kit) with the servers that speak a gateway
 * protocol: two workers share one SCGI port and one FastCGI unix socket, a
 * web server's connections reach both, and SIGTERM closes them with exit 0.
 * The entry runs from this checkout's sources under tsx (`dovetailjs` mapped
 * by the repository's tsconfig), as its own process tree. The CLI and the
 * node server are tested from the packed package (test/package/workers.test.ts).
 *
 * Two workers under tsx start in 3-8 s on the busy 2-core machine; waits
 * allow 90 s.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseWorkerPoolOptions, workerCount } from '../../../core/server-kit/worker-options.js'
import { FastCgiClient } from '../../support/fastcgi-client.js'
import { freePort } from '../../support/front-servers.js'
import { scgiExchange, scgiRequest } from '../../support/scgi-client.js'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
let dir: string
const children: ChildProcess[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dovetail-run-workers-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'run-workers', private: true, type: 'module' }))
  writeFileSync(
    join(dir, 'entry.ts'),
    `import { createApp } from 'dovetailjs'
import { runWorkers } from 'dovetailjs/server-kit'

process.exit(await runWorkers({
  workers: 2,
  async serve() {
    const app = await createApp({ components: { server: JSON.parse(process.env.SERVER!) }, routes(r) { r.get('/', (ctx) => ctx.text(String(process.pid))) } })
    const server = await app.listen({ port: Number(process.env.PORT ?? 0) })
    return { url: server.url, close: () => app.close() }
  },
  onServing: (url, workers) => console.log(\`serving on \${url} with \${workers} workers\`),
}))
`,
  )
})

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** Start the entry with `server` in the server slot; resolves with its URL once both workers serve. */
function start(server: unknown, port = 0): Promise<{ url: string; child: ChildProcess; exited: Promise<number | null>; output: () => string }> {
  // node with tsx's loader, not the tsx command, which would relay SIGTERM through a process of its own.
  const child = spawn(process.execPath, ['--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, 'entry.ts'], {
    cwd: dir,
    env: { ...process.env, SERVER: JSON.stringify(server), PORT: String(port), TSX_TSCONFIG_PATH: join(repo, 'tsconfig.json'), NODE_ENV: 'production', VITEST: undefined },
  })
  children.push(child)
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk
      const url = /serving on (\S+) with 2 workers/.exec(output)?.[1]
      if (url) resolve({ url, child, exited, output: () => output })
    }
    child.stdout!.on('data', collect)
    child.stderr!.on('data', collect)
    child.once('exit', (code) => reject(new Error(`the entry exited (${code}) before both workers served:\n${output}`)))
  })
}

describe('runWorkers with the gateway servers', () => {
  it('shares an SCGI port between two workers and closes both on SIGTERM', async () => {
    const port = await freePort()
    const { url, child, exited, output } = await start({ use: 'scgi' }, port)
    expect(url).toBe(`scgi://127.0.0.1:${port}`)
    // SCGI is one connection per request: the primary hands them to the workers in turn.
    const pids = new Set<string>()
    for (let i = 0; i < 6; i++) {
      const answer = await scgiExchange(port, [scgiRequest('GET', '/')])
      expect(answer.status).toBe(200)
      pids.add(answer.body.toString())
    }
    expect(pids.size, `pids that answered: ${[...pids].join(', ')}`).toBe(2)
    child.kill('SIGTERM')
    expect(await exited, output()).toBe(0)
    expect(output().match(/worker \d exited \(code 0\)/g)?.length, output()).toBe(2)
  }, 90_000)

  it('shares a FastCGI unix socket between two workers and closes both on SIGTERM', async () => {
    const socketPath = join(dir, 'app.sock')
    const { url, child, exited, output } = await start({ use: 'fastcgi', options: { socketPath } })
    expect(url).toBe(`unix:${socketPath}`)
    const pids = new Set<string>()
    for (let i = 0; i < 6; i++) {
      const client = await FastCgiClient.open(socketPath)
      client.request(1, 'GET', '/', { keepConn: false })
      const answer = await client.answer(1)
      expect(answer.status).toBe(200)
      pids.add(answer.body.toString())
      client.end()
    }
    expect(pids.size, `pids that answered: ${[...pids].join(', ')}`).toBe(2)
    child.kill('SIGTERM')
    expect(await exited, output()).toBe(0)
  }, 90_000)
})

describe('runWorkers options', () => {
  it("takes a whole number from 1 or 'auto' as the worker count, and names the setting otherwise", () => {
    expect(workerCount(3, 'workers')).toBe(3)
    expect(workerCount('auto', 'workers')).toBeGreaterThanOrEqual(1)
    for (const bad of [0, -1, 1.5, '2', null]) {
      expect(() => workerCount(bad, 'server.workers'), JSON.stringify(bad)).toThrow(`server.workers is ${JSON.stringify(bad)}; give a whole number of worker processes from 1, or 'auto'`)
    }
  })

  it('fills in the documented defaults and refuses a bad supervision option by name', () => {
    expect(parseWorkerPoolOptions({})).toEqual({ restartDelay: 100, maxRestartDelay: 10_000, crashLoopExits: 5, crashLoopWindow: 60_000, stopTimeout: 30_000 })
    expect(() => parseWorkerPoolOptions({ crashLoopExits: 0 })).toThrow(/runWorkers\(\) was given invalid options:\n {2}- crashLoopExits: .*\[DOVETAIL_ERR_WORKERS_OPTIONS\]/s)
    expect(() => parseWorkerPoolOptions({ restartdelay: 5 })).toThrow(/DOVETAIL_ERR_WORKERS_OPTIONS/)
  })
})
