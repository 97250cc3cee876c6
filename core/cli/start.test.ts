import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killCliProcesses, spawnCli } from '../../test/support/cli-process.js'
import { listenProblem } from './command-start.js'

/*
 * `dovetail start` as its own process (tsx, this checkout's sources): it
 * serves, stops on SIGTERM with 0, and says what to do about a port in use.
 * Starting under tsx takes 2-4 s on a busy 2-core machine: waits allow 60 s.
 */

let project: string

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'dovetail-start-'))
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'start-app', private: true, type: 'module' }))
  writeFileSync(
    join(project, 'app.ts'),
    "import { defineConfig } from 'dovetailjs'\nexport default defineConfig({ routes(r) { r.get('/', (ctx) => ctx.text(`hello from ${ctx.environment}`)) } })\n",
  )
})

afterAll(() => {
  killCliProcesses()
  rmSync(project, { recursive: true, force: true })
})

describe('dovetail start', () => {
  it('serves the app until SIGTERM, then closes it and exits with 0', async () => {
    const cli = spawnCli(['start', '--port', '0'], { cwd: project })
    const [, url] = await cli.waitFor(/^app\.ts: serving on (http:\/\/127\.0\.0\.1:\d+) \(environment development; Ctrl-C to stop\)$/m)
    const res = await fetch(`${url}/`)
    expect(await res.text()).toBe('hello from development')
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toBe(0)
  }, 90_000)

  it('serves from its own process with --workers 0 whatever server.workers says (as dovetail dev runs it)', async () => {
    writeFileSync(join(project, 'workers.ts'), "import { defineConfig } from 'dovetailjs'\nexport default defineConfig({ server: { workers: 2 }, routes(r) { r.get('/', (ctx) => ctx.text('hello')) } })\n")
    const cli = spawnCli(['start', '--config', 'workers.ts', '--port', '0', '--workers', '0'], { cwd: project })
    const [, url] = await cli.waitFor(/^workers\.ts: serving on (http:\/\/127\.0\.0\.1:\d+) \(environment development; Ctrl-C to stop\)$/m)
    expect(await (await fetch(`${url}/`)).text()).toBe('hello')
    expect(cli.output()).not.toContain('worker 1 started')
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toBe(0)
  }, 90_000)

  it('says the port is in use and how to choose another, without a stack, and exits with 1', async () => {
    const taken: Server = createServer()
    taken.listen(0, '127.0.0.1')
    await once(taken, 'listening')
    const port = (taken.address() as { port: number }).port
    try {
      const cli = spawnCli(['start', '--port', String(port)], { cwd: project })
      expect(await cli.exited).toBe(1)
      expect(cli.output().trim()).toBe(
        `Port ${port} on 127.0.0.1 is already in use: another process listens there (an app still running? \`lsof -i :${port}\` names it). Stop it, or listen on another port: --port ${port + 1}, or PORT=${port + 1}.`,
      )
    } finally {
      taken.close()
    }
  }, 90_000)

  it('says what needs privileges and what is not an address of this machine', () => {
    expect(listenProblem(Object.assign(new Error('listen EACCES'), { code: 'EACCES', port: 80, address: '0.0.0.0' }))).toMatch(/^Port 80 on 0\.0\.0\.0 needs privileges/)
    expect(listenProblem(Object.assign(new Error('listen EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL', port: 3000, address: '10.9.9.9' }))).toMatch(/^10\.9\.9\.9 is not an address of this machine/)
  })
})
