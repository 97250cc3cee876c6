import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killCliProcesses, linkModules, spawnCli } from '../../test/support/cli-process.js'

/*
 * `dovetail shell` as its own process, fed at its prompt through stdin.
 * Starting under tsx with MikroORM takes 2-5 s on a busy machine.
 */

let project: string

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'dovetail-shell-'))
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shell-app', private: true, type: 'module' }))
  linkModules(project)
  writeFileSync(
    join(project, 'app.ts'),
    `import { defineConfig, token } from 'dovetailjs'
export const Greeting = token<string>('Greeting')
export default defineConfig({
  components: { orm: { use: 'mikro-orm', options: { url: ':memory:' } } },
  register(c) { c.value(Greeting, 'hello from the container') },
  routes(r) { r.get('/notes/:id', (ctx) => ctx.json({ id: ctx.params.id })) },
})
`,
  )
})

afterAll(() => {
  killCliProcesses()
  rmSync(project, { recursive: true, force: true })
})

describe('dovetail shell', () => {
  it('starts the app and gives the prompt app, resolve, em and a test client; .exit closes it', async () => {
    const shell = spawnCli(['shell'], { cwd: project, stdin: 'pipe' })
    await shell.waitFor(/app\.ts: the app is started \(environment development\)\. At hand: app, container, resolve, em, client, dovetail\. \.exit or Ctrl-D to close it\./)
    await shell.waitFor(/dovetail> /)
    const ask = async (line: string, answer: RegExp) => {
      const after = shell.output().length
      shell.child.stdin!.write(`${line}\n`)
      return (await shell.waitFor(answer, { after }))[0]
    }
    await ask("(await client.get('/notes/7')).status", /\b200\b/)
    await ask("await (await client.get('/notes/7')).json()", /\{ id: '7' \}/)
    await ask("resolve((await import('./app.ts')).Greeting)", /'hello from the container'/)
    await ask('resolve(dovetail.Environment)', /'development'/)
    await ask("app.url === undefined ? 'no' : typeof em.find", /'function'/)
    shell.child.stdin!.write('.exit\n')
    expect(await shell.exited).toBe(0)
  }, 120_000)

  it('says why the app did not start, without a stack, and exits with 1', async () => {
    writeFileSync(join(project, 'broken.ts'), "export default { components: { router: 'radx' } }\n")
    const shell = spawnCli(['shell', '--config', 'broken.ts'], { cwd: project, stdin: 'pipe' })
    expect(await shell.exited).toBe(1)
    expect(shell.output()).toMatch(/^broken\.ts: the app did not start: No installed package declares a router component named 'radx'\..*\[DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT\]\n$/)
  }, 120_000)
})
