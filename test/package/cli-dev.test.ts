import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killCliProcesses, spawnInstalledCli } from '../support/cli-process.js'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { installProject, packedTarball, userEnv } from '../support/tarball.js'

/*
 * `dovetail dev` as a user gets it: a fullstack project made by the packed
 * tarball's `dovetail new`, installed from the tarball, its own bin run: a
 * template edit shows at the next request, a code edit restarts the app, the
 * session outlives the restart, and a start failure shows on the page.
 * A restart under tsx with MikroORM takes 3-6 s on a busy 2-core machine;
 * each wait allows 60 s.
 */

const run = promisify(execFile)
let tmp: string
let site: string

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'dovetail-dev-'))
  await run('npx', ['--yes', '--package', await packedTarball(), 'dovetail', 'new', 'site', '--preset', 'fullstack'], { cwd: tmp, env: userEnv() })
  site = join(tmp, 'site')
  await installProject(site)
  const migrate = spawnInstalledCli(['db', 'migrate'], { cwd: site, env: userEnv() })
  expect(await migrate.exited, migrate.output()).toBe(0)
}, 300_000)

afterAll(() => {
  killCliProcesses()
  rmSync(tmp, { recursive: true, force: true })
})

/** The cookie pairs of a response's Set-Cookie headers, as a Cookie header. */
const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')

const edit = (file: string, change: (text: string) => string) => writeFileSync(join(site, file), change(readFileSync(join(site, file), 'utf8')))

describe('dovetail dev (installed from the tarball)', () => {
  it('shows a template edit without a restart, restarts for a route edit, and keeps the session across the restart', async () => {
    const dev = spawnInstalledCli(['dev', '--port', '0'], { cwd: site, env: userEnv() })
    const [, url] = await dev.waitFor(/dovetail dev: app\.ts on (http:\/\/127\.0\.0\.1:\d+) \(restarts when code or config changes; Ctrl-C to stop\)/)

    const home = await fetch(`${url}/`)
    expect(home.status).toBe(200)
    const cookie = cookiesOf(home)
    expect(cookie).toMatch(/^sid=/)
    const token = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]!

    const beforeTemplate = dev.output().length
    edit('views/index.eta', (text) => text.replace('<ul>', '<p>edited while running</p>\n<ul>'))
    const page = await (await fetch(`${url}/`, { headers: { cookie } })).text()
    expect(page).toContain('<p>edited while running</p>')
    // The watcher settles within 100 ms; give it time to have restarted if it (wrongly) would.
    await new Promise((done) => setTimeout(done, 500))
    expect(dev.output().slice(beforeTemplate)).not.toContain('restarting')

    const beforeCode = dev.output().length
    edit('app.ts', (text) => text.replace('  routes(r) {\n', "  routes(r) {\n    r.get('/added', (ctx) => ctx.text('added by an edit'))\n"))
    await dev.waitFor(/dovetail dev: app\.ts changed: restarting/, { after: beforeCode })
    // Asked during the restart, answered by the new app.
    const added = await fetch(`${url}/added`)
    expect(await added.text()).toBe('added by an edit')

    // The form fetched before the restart still posts: same session, same CSRF token.
    const posted = await fetch(`${url}/notes`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: url! },
      body: new URLSearchParams({ _csrf: token, text: 'written across a restart' }),
      redirect: 'manual',
    })
    expect(posted.status).toBe(303)
    expect(await (await fetch(`${url}/`, { headers: { cookie } })).text()).toContain('<li>written across a restart</li>')

    dev.child.kill('SIGTERM')
    expect(await dev.exited).toBe(0)
  }, 240_000)

  it('prints a start failure and shows it on every page until the fix, then serves again', async () => {
    const dev = spawnInstalledCli(['dev', '--port', '0'], { cwd: site, env: userEnv() })
    const [, url] = await dev.waitFor(/ on (http:\/\/127\.0\.0\.1:\d+) /)
    expect((await fetch(`${url}/`)).status).toBe(200)

    const good = readFileSync(join(site, 'database.ts'), 'utf8')
    const before = dev.output().length
    writeFileSync(join(site, 'database.ts'), `${good}\nexport const broken = ;\n`)
    await dev.waitFor(/dovetail dev: the app stopped \(exit code 1\); fix what is printed above and save/, { after: before })
    const failed = await fetch(`${url}/`)
    expect(failed.status).toBe(500)
    const page = await failed.text()
    expect(page).toContain('<h1>The app did not start</h1>')
    expect(page).toContain('database.ts')

    const beforeFix = dev.output().length
    writeFileSync(join(site, 'database.ts'), good)
    await dev.waitFor(/restarting/, { after: beforeFix })
    expect((await fetch(`${url}/`)).status).toBe(200)
    dev.child.kill('SIGINT')
    expect(await dev.exited).toBe(0)
  }, 240_000)

})
