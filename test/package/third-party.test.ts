/**
 * A component package made outside Dovetail, as its author ships it and a
 * user installs it: docs/examples/component-package (dovetail-handlebars) is
 * copied out of the repository, installed against the dovetailjs tarball,
 * built with tsc and packed (`npm pack`); an app made by the installed
 * `dovetail new` installs both tarballs and names the component in config by
 * its short name. Nothing is aliased to the sources.
 *
 * Then: the package's own tests (the conformance kit) pass inside the app,
 * `dovetail info` lists it, the app serves a page through it, and two variant
 * packages are refused at startup: one whose declared and code contract is
 * ^2.0, one whose package.json contract disagrees with its code.
 *
 * Measured on the 2-core machine under load (load average 10), warm npm
 * cache: pack of dovetailjs 35-42 s when not cached yet, the package's npm install
 * 12-19 s, its pack (tsc build) 12 s, the two variants' packs 21-25 s (in
 * parallel), dovetail new under 1 s, the app's npm install 10-15 s, the
 * package's typecheck 8-10 s, its tests in the app 4 s, info 2 s, start and
 * GET 2 s, the variant projects' installs 12 s (in parallel): 140-155 s for
 * the file. Budgets below are about three times the parts they cover.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installProject, npm, packedTarball, userEnv } from '../support/tarball.js'

const run = promisify(execFile)
const example = fileURLToPath(new URL('../../docs/examples/component-package', import.meta.url))
const handlebarsSpec = 'handlebars@^4.7.0'

let temp: string
let dovetailTarball: string
/** The staged copy of the package, installed and built. */
let pkg: string
let packed: { main: string; contract2: string; disagreeing: string }
let app: string
const children: ChildProcess[] = []
const timings: string[] = []

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now()
  try {
    return await step()
  } finally {
    timings.push(`${label}: ${((Date.now() - started) / 1000).toFixed(1)}`)
  }
}

const readJson = (path: string): Record<string, any> => JSON.parse(readFileSync(path, 'utf8'))
const writeJson = (path: string, value: unknown): void => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)

/** `npm pack` in `dir` (its prepack step builds dist/ with tsc); the tarball's path. */
async function pack(dir: string): Promise<string> {
  const out = join(temp, 'tarballs')
  mkdirSync(out, { recursive: true })
  const [result] = JSON.parse(await npm(['pack', '--json', '--pack-destination', out], dir)) as [{ filename: string }]
  return join(out, result.filename)
}

/**
 * A copy of the staged package (sharing its node_modules) whose package.json
 * declares `declared` and whose defineComponent says `code`, packed under `version`.
 */
async function packVariant(name: string, version: string, declared: string, code: string): Promise<string> {
  const dir = join(temp, name)
  cpSync(pkg, dir, { recursive: true, filter: (path) => !/[/\\](node_modules|dist)$/.test(path) })
  symlinkSync(join(pkg, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const manifest = readJson(join(dir, 'package.json'))
  manifest.version = version
  manifest.dovetail.components[0].contract = declared
  writeJson(join(dir, 'package.json'), manifest)
  const componentFile = join(dir, 'src', 'component.ts')
  const component = readFileSync(componentFile, 'utf8')
  expect(component.match(/contract: '\^1\.0'/g)).toHaveLength(1)
  writeFileSync(componentFile, component.replace(`contract: '^1.0'`, `contract: '${code}'`))
  return pack(dir)
}

/**
 * A project that installs dovetailjs and `tarball` and starts an app naming
 * the component by its short name: plain JavaScript, so it needs no tsx.
 */
async function variantProject(name: string, tarball: string): Promise<string> {
  const dir = join(temp, name)
  mkdirSync(join(dir, 'views'), { recursive: true })
  writeJson(join(dir, 'package.json'), { name, version: '0.1.0', private: true, type: 'module' })
  writeFileSync(join(dir, 'app.mjs'), `import { defineConfig } from 'dovetailjs'\nexport default defineConfig({ components: { template: 'handlebars' } })\n`)
  writeFileSync(join(dir, 'start.mjs'), `import { createApp } from 'dovetailjs'\nimport config from './app.mjs'\nawait createApp(config)\nconsole.log('started')\n`)
  await installProject(dir, [tarball, handlebarsSpec])
  return dir
}

/** Run `node start.mjs` in `dir`; its exit code and output. */
async function startVariant(dir: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['start.mjs'], { cwd: dir, env: userEnv() })
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, output: e.stdout + e.stderr }
  }
}

// The app's own files: config naming the component by its short name, and views in Handlebars syntax.
const appConfig = `import { defineConfig } from 'dovetailjs'

/** The minimal preset, with Handlebars templates from ./views (the component's default). */
export default defineConfig({
  preset: 'minimal',
  components: {
    template: 'handlebars',
  },
  routes(r) {
    r.get('/', (ctx) =>
      ctx.render('index', { title: 'Teas <&> "more"', teas: [{ slug: 'green tea', name: 'Green <b>tea</b>' }, { slug: 'oolong', name: 'Oolong' }] }),
    )
    r.get('/teas/:slug', (ctx) => ctx.text(ctx.params.slug ?? ''), { name: 'tea' })
  },
})
`

const views: Record<string, string> = {
  'layout.hbs': '<!doctype html>\n<html>\n<head><title>{{title}}</title></head>\n<body>\n{{> @partial-block}}\n</body>\n</html>\n',
  'index.hbs': '{{#> layout}}\n<h1>{{title}}</h1>\n<ul>\n{{#each teas}}\n  {{> partials/tea tea=this}}\n{{/each}}\n</ul>\n{{/layout}}\n',
  'partials/tea.hbs': '<li><a href="{{url "tea" slug=tea.slug}}">{{tea.name}}</a></li>\n',
}

const expectedPage =
  '<!doctype html><html><head><title>Teas &lt;&amp;&gt; &quot;more&quot;</title></head><body><h1>Teas &lt;&amp;&gt; &quot;more&quot;</h1><ul>' +
  '<li><a href="/teas/green%20tea">Green &lt;b&gt;tea&lt;/b&gt;</a></li><li><a href="/teas/oolong">Oolong</a></li></ul></body></html>'

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'dovetail-third-party-'))
  dovetailTarball = await timed('pack dovetailjs', () => packedTarball())

  // The package, as its author has it: its own folder, dovetailjs from the tarball instead of the registry.
  pkg = join(temp, 'dovetail-handlebars')
  cpSync(example, pkg, { recursive: true, filter: (path) => !/[/\\](node_modules|dist)$/.test(path) })
  const manifest = readJson(join(pkg, 'package.json'))
  manifest.devDependencies.dovetailjs = `file:${dovetailTarball}`
  writeJson(join(pkg, 'package.json'), manifest)
  await timed('package: npm install', () => npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], pkg))
  const main = await timed('package: npm pack (tsc build)', () => pack(pkg))
  const [contract2, disagreeing] = await timed('variants: npm pack', () =>
    Promise.all([packVariant('variant-contract2', '0.2.0', '^2.0', '^2.0'), packVariant('variant-disagreeing', '0.1.1', '~1.0', '^1.0')]),
  )
  packed = { main, contract2, disagreeing }

  // The app: made by the dovetail bin the package installed from the tarball, then given the component.
  app = join(temp, 'tea-shop')
  await timed('dovetail new', () => run(join(pkg, 'node_modules', '.bin', 'dovetail'), ['new', app, '--preset', 'minimal'], { cwd: temp, env: userEnv() }))
  writeFileSync(join(app, 'app.ts'), appConfig)
  for (const [name, source] of Object.entries(views)) {
    mkdirSync(join(app, 'views', name, '..'), { recursive: true })
    writeFileSync(join(app, 'views', name), source)
  }
  await timed('app: npm install', () => installProject(app, [packed.main, handlebarsSpec]))
}, 400_000)

afterAll(() => {
  // tsx runs the server in a child of its own: stop the whole group this test started.
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL')
  if (temp) rmSync(temp, { recursive: true, force: true })
  if (timings.length) process.stdout.write(`\nthird-party timings (s):\n${timings.join('\n')}\n`)
})

describe('a component package made outside the repository (dovetail-handlebars)', () => {
  it('builds against the installed dovetailjs: its sources and tests typecheck, and the tarball holds dist/ with the dovetail field', async () => {
    await timed('package: typecheck', () => npm(['run', 'typecheck'], pkg))
    const listed = await run('tar', ['-tzf', packed.main])
    const files = listed.stdout.split('\n').filter(Boolean)
    expect(files).toContain('package/dist/index.js')
    expect(files).toContain('package/dist/index.d.ts')
    expect(files.filter((f) => f.includes('/test/') || /\.ts$/.test(f.replace(/\.d\.ts$/, '')))).toEqual([])
    const installed = readJson(join(app, 'node_modules', 'dovetail-handlebars', 'package.json'))
    expect(installed.dovetail.components).toEqual([expect.objectContaining({ slot: 'template', name: 'handlebars', entry: '.', contract: '^1.0' })])
  }, 60_000)

  it("passes its own tests, the conformance kit among them, inside the app", async () => {
    // The package's tests import it by name, so in the app they run against the installed tarball.
    cpSync(join(pkg, 'test'), join(app, 'test', 'dovetail-handlebars'), { recursive: true })
    const reportFile = join(temp, 'package-tests.json')
    await timed('app: package tests', () =>
      run(join(app, 'node_modules', '.bin', 'vitest'), ['run', 'test/dovetail-handlebars', '--reporter=json', `--outputFile=${reportFile}`], { cwd: app, env: userEnv() }),
    )
    const report = readJson(reportFile) as { numTotalTests: number; numPassedTests: number; testResults: { assertionResults: { ancestorTitles: string[]; status: string }[] }[] }
    const kit = report.testResults.flatMap((file) => file.assertionResults).filter((r) => r.ancestorTitles[0] === 'template conformance: dovetail-handlebars')
    expect(report.numTotalTests).toBeGreaterThan(kit.length)
    expect(report.numPassedTests).toBe(report.numTotalTests)
    expect(kit.length).toBeGreaterThan(0)
  }, 120_000)

  it('is listed by dovetail info in the template slot and among the installed components, with its package and version', async () => {
    const { stdout } = await timed('app: dovetail info', () => run(join(app, 'node_modules', '.bin', 'dovetail'), ['info', '--config', 'app.ts'], { cwd: app, env: userEnv() }))
    const [slots, installed] = stdout.split('Installed components:')
    expect(slots).toMatch(/^template\s+handlebars\s+dovetail-handlebars 0\.1\.0\s+\^1\.0\s+app\.ts.*$/m)
    expect(installed).toMatch(/^template\s+handlebars\s+dovetail-handlebars 0\.1\.0\s+\^1\.0$/m)
    expect(installed).toMatch(/^template\s+eta\s+dovetailjs /m)
  }, 60_000)

  it('serves a page rendered through it: layout, partials, url() and escaping', async () => {
    const child = spawn(join(app, 'node_modules', '.bin', 'tsx'), ['server.ts'], {
      cwd: app,
      env: userEnv({ PORT: '0', NODE_ENV: 'production' }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let output = ''
    child.stderr!.on('data', (chunk) => (output += chunk))
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`the app exited with ${code} before listening:\n${output}`)
    })
    const listening = (async () => {
      for await (const line of createInterface({ input: child.stdout! })) {
        output += `${line}\n`
        const url = / on (http:\/\/\S+) \(Ctrl-C/.exec(line)?.[1]
        if (url) return url
      }
      throw new Error(`the app printed no URL:\n${output}`)
    })()
    const url = await timed('app: start', () => Promise.race([listening, exited]))
    exited.catch(() => {})

    const res = await fetch(`${url}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await res.text()
    expect(html.replace(/>\s+</g, '><').trim()).toBe(expectedPage)
    expect(html).not.toContain('<b>')
    expect(await (await fetch(`${url}/teas/green%20tea`)).text()).toBe('green tea')
    process.kill(-child.pid!, 'SIGTERM')
  }, 60_000)
})

describe('a component package whose contract does not fit', () => {
  let projects: { contract2: string; disagreeing: string }

  beforeAll(async () => {
    const [contract2, disagreeing] = await timed('variant projects: npm install', () =>
      Promise.all([variantProject('uses-contract2', packed.contract2), variantProject('uses-disagreeing', packed.disagreeing)]),
    )
    projects = { contract2, disagreeing }
  }, 180_000)

  it('is refused at startup when its range excludes the core\'s template contract, naming the component, its range and the core\'s version', async () => {
    const { code, output } = await startVariant(projects.contract2)
    expect(code).not.toBe(0)
    expect(output).not.toContain('started')
    expect(output).toContain('DOVETAIL_ERR_COMPONENT_CONTRACT_MISMATCH')
    expect(output).toMatch(/'dovetail-handlebars' implements the template contract \^2\.0, but this core \(dovetailjs\) provides template contract 1\.0\.0/)
    // dovetail info shows the same before anyone starts the app, and exits with 1 as createApp refuses it.
    const info = await run(join(projects.contract2, 'node_modules', '.bin', 'dovetail'), ['info', '--config', 'app.mjs'], { cwd: projects.contract2, env: userEnv() }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    )
    expect(info.code).toBe(1)
    expect(info.stdout).toMatch(/^template ✗\s+handlebars\s+dovetail-handlebars 0\.2\.0\s+\^2\.0 \(this core provides 1\.0\.0: createApp will refuse it\)\s+app\.mjs.*$/m)
  }, 60_000)

  it('is refused at startup when its package.json declares another contract than its code', async () => {
    const { code, output } = await startVariant(projects.disagreeing)
    expect(code).not.toBe(0)
    expect(output).not.toContain('started')
    expect(output).toContain('DOVETAIL_ERR_COMPONENT_DECLARATION')
    expect(output).toContain("'handlebars' (dovetail-handlebars 0.1.1)")
    expect(output).toMatch(/contract ~1\.0.*but its code says slot template, contract \^1\.0/s)
  }, 60_000)
})
