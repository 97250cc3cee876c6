import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, DovetailError } from 'dovetailjs'
import { componentModule, fakeApp, type FakePackage } from '../../test/discovery/fake-packages.js'
import { main } from './index.js'

/*
 * `dovetail check` against createApp: for each kind of config createApp
 * refuses, check exits with 1 and names the same error code on a line of
 * its own. Each case's config is a module on disk, as a project's app.ts is.
 */

let tmp: string

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dovetail-check-'))
})

const fakeApps: string[] = []

afterAll(() => {
  for (const dir of [tmp, ...fakeApps]) rmSync(dir, { recursive: true, force: true })
})

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), cwd })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

let made = 0

/** Write a config module (in a fake project when packages are given) and return its path. */
function configModule(source: string, packages?: { dependencies: string[]; installed: FakePackage[] }): string {
  const dir = packages ? fakeApp(packages.dependencies, packages.installed) : join(tmp, `case-${++made}`)
  if (packages) fakeApps.push(dir)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'app.ts')
  writeFileSync(file, source)
  return file
}

/** The code createApp refuses the module's config with. */
async function createAppRefusal(file: string): Promise<string> {
  const config = ((await import(pathToFileURL(file).href)) as { default: object }).default
  try {
    const app = await createApp({ root: dirname(file), ...config })
    await app.close()
  } catch (error) {
    expect(error).toBeInstanceOf(DovetailError)
    return (error as DovetailError).code
  }
  throw new Error('createApp accepted the config')
}

const header = "import { defineComponent, defineConfig, token } from 'dovetailjs'\nimport radix from 'dovetailjs/components/router/radix'\n"
const config = (body: string, before = '') => `${header}${before}\nexport default defineConfig(${body})\n`

const acmeRouter = (name: string, contract = '^1.0') => componentModule({ name, slot: 'router', contract }, 'register() {}')
const acmePackage: FakePackage = {
  name: 'acme-router',
  dovetail: { components: [{ slot: 'router', name: 'acme', entry: '.', contract: '^1.0' }] },
  files: { 'index.js': acmeRouter('acme-router') },
}

interface Refusal {
  code: string
  /** The config module's text. */
  source: string
  /** The label of the line the problem is reported on; a slot's names the config's line that set it (`router (app.ts:N)`). */
  where: string
  packages?: { dependencies: string[]; installed: FakePackage[] }
  /** Only with --connect (the component's start fails). */
  connect?: boolean
}

const refusals: Refusal[] = [
  { code: 'DOVETAIL_ERR_CONFIG_INVALID', where: 'config', source: config('{ route: () => {} } as never') },
  { code: 'DOVETAIL_ERR_CONFIG_UNKNOWN_SLOT', where: 'config', source: config("{ components: { templates: 'eta' } as never }") },
  { code: 'DOVETAIL_ERR_CONFIG_UNKNOWN_PRESET', where: 'config', source: config("{ preset: 'maximal' }") },
  { code: 'DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT', where: 'container (app.ts:5)', source: config("{\n  components: { container: 'inversfy' },\n}") },
  {
    code: 'DOVETAIL_ERR_CONFIG_AMBIGUOUS_COMPONENT',
    where: 'router (app.ts:N)',
    source: config("{ components: { router: 'acme' } }"),
    packages: {
      dependencies: ['acme-router', 'other-router'],
      installed: [acmePackage, { ...acmePackage, name: 'other-router', files: { 'index.js': acmeRouter('other-router') } }],
    },
  },
  { code: 'DOVETAIL_ERR_COMPONENT_INVALID', where: 'router (app.ts:N)', source: config('{ components: { router: { add() {} } as never } }') },
  { code: 'DOVETAIL_ERR_COMPONENT_SLOT_MISMATCH', where: 'server (app.ts:N)', source: config('{ components: { server: radix() } }') },
  {
    code: 'DOVETAIL_ERR_COMPONENT_CONTRACT_MISMATCH',
    where: 'router (app.ts:N)',
    source: config('{ components: { router: future } }', "const future = defineComponent({ name: 'acme/router-next', slot: 'router', contract: '^2.0', register() {} })"),
  },
  {
    code: 'DOVETAIL_ERR_COMPONENT_CONTRACT_RANGE',
    where: 'router (app.ts:N)',
    source: config('{ components: { router: odd } }', "const odd = defineComponent({ name: 'acme/odd', slot: 'router', contract: 'one-ish' as never, register() {} })"),
  },
  {
    code: 'DOVETAIL_ERR_COMPONENT_DECLARATION',
    where: 'router (app.ts:N)',
    source: config("{ components: { router: 'acme' } }"),
    packages: { dependencies: ['acme-router'], installed: [{ ...acmePackage, files: { 'index.js': acmeRouter('acme-router', '^2.0') } }] },
  },
  {
    code: 'DOVETAIL_ERR_COMPONENT_PACKAGE_MISSING',
    where: 'router (app.ts:N)',
    source: config("{ components: { router: 'acme' } }"),
    packages: { dependencies: ['acme-router'], installed: [{ ...acmePackage, dovetail: { components: [{ slot: 'router', name: 'acme', entry: '.', contract: '^1.0', needs: ['acme-engine'] }] } }] },
  },
  { code: 'DOVETAIL_ERR_COMPONENT_OPTIONS', where: 'router (app.ts:N)', source: config("{ components: { router: { use: 'radix', options: { maxParamLength: 'long' } } } } as never") },
  {
    code: 'DOVETAIL_ERR_COMPONENT_MISSING_REQUIREMENT',
    where: 'slots',
    source: config(
      '{ components: { middleware: [audit] } }',
      "const audit = defineComponent({ name: 'acme/audit', slot: 'middleware', contract: '^1.0', requires: ['orm'], middleware: () => (_c, n) => n() })",
    ),
  },
  { code: 'DOVETAIL_ERR_COMPONENT_REQUIRED_SLOT', where: 'slots', source: config('{ components: { router: false } }') },
  {
    code: 'DOVETAIL_ERR_COMPONENT_CYCLE',
    where: 'assembly',
    source: config(
      "{ components: { logger: chatty, middleware: [audit()] } }",
      "const audit = defineComponent({ name: 'acme/audit', slot: 'middleware', contract: '^1.0', requires: ['logger'], middleware: () => (_c, n) => n() })\n" +
        "const chatty = defineComponent({ name: 'acme/chatty', slot: 'logger', contract: '^1.0', requires: ['middleware'], register() {} })",
    ),
  },
  {
    code: 'DOVETAIL_ERR_COMPONENT_SLOT_UNFILLED',
    where: 'assembly',
    source: config('{ components: { logger: silent } }', "const silent = defineComponent({ name: 'acme/silent-logger', slot: 'logger', contract: '^1.0', register() {} })"),
  },
  { code: 'DOVETAIL_ERR_ROUTER_INVALID_ROUTE', where: 'assembly', source: config("{ routes(r) { r.mount('/files/:id', () => new Response('x')) } }") },
  {
    code: 'DOVETAIL_ERR_ROUTER_DUPLICATE_NAME',
    where: 'assembly',
    source: config("{ routes(r) { r.get('/a', (ctx) => ctx.text('a'), { name: 'page' }).get('/b', (ctx) => ctx.text('b'), { name: 'page' }) } }"),
  },
  {
    code: 'DOVETAIL_ERR_CONTAINER_NOT_REGISTERED',
    where: 'assembly',
    source: config('{ register(c) { c.singleton(Clock, { useFactory: (zone: string) => ({ zone }), deps: [Zone] }) } }', "const Clock = token<object>('Clock')\nconst Zone = token<string>('Zone')"),
  },
  {
    code: 'DOVETAIL_ERR_CONTAINER_CAPTIVE',
    where: 'assembly',
    source: config(
      '{ register(c) { c.scoped(Unit, () => ({})); c.singleton(Clock, { useFactory: (u: object) => ({ u }), deps: [Unit] }) } }',
      "const Clock = token<object>('Clock')\nconst Unit = token<object>('Unit')",
    ),
  },
  {
    code: 'DOVETAIL_ERR_CONTAINER_CYCLE',
    where: 'assembly',
    source: config(
      '{ register(c) { c.singleton(A, { useFactory: (b: object) => ({ b }), deps: [B] }); c.singleton(B, { useFactory: (a: object) => ({ a }), deps: [A] }) } }',
      "const A = token<object>('A')\nconst B = token<object>('B')",
    ),
  },
  {
    code: 'DOVETAIL_ERR_CONTAINER_DUPLICATE',
    where: 'assembly',
    source: config("{ register(c) { c.value(Zone, 'utc'); c.value(Zone, 'cet') } }", "const Zone = token<string>('Zone')"),
  },
  { code: 'DOVETAIL_ERR_ORM_CONFIG', where: 'assembly', source: config("{ components: { orm: { use: 'mikro-orm', options: { url: 'oracle://db/app' } } } }") },
  {
    code: 'DOVETAIL_ERR_COMPONENT_START',
    where: 'start',
    connect: true,
    source: config(
      '{ components: { middleware: [unreachable()] } }',
      "const unreachable = defineComponent({ name: 'acme/unreachable', slot: 'middleware', contract: '^1.0', middleware: () => (_c, n) => n(), start() { throw new Error('connect ECONNREFUSED 127.0.0.1:1') } })",
    ),
  },
]

describe('dovetail check', () => {
  it.each(refusals.map((r) => [r.code, r] as const))('exits with 1 for a config createApp refuses with %s, on one line naming the code', async (code, refusal) => {
    const file = configModule(refusal.source, refusal.packages)
    expect(await createAppRefusal(file)).toBe(code)
    const result = await cli(['check', '--config', 'app.ts', ...(refusal.connect ? ['--connect'] : [])], dirname(file))
    expect(result.err).toBe('')
    expect(result.code).toBe(1)
    const lines = result.out.split('\n')
    const problem = lines.filter((line) => line.startsWith('✗ '))
    expect(problem).toHaveLength(1)
    const where = refusal.where.replace(/[().]/g, '\\$&').replace(':N', ':\\d+')
    expect(problem[0]).toMatch(new RegExp(`^✗ ${where}: .+ \\[${code}\\]$`))
    expect(lines.at(-1)).toBe('1 problem: createApp would refuse this config.')
  })

  it('lists every problem of the components at once, each with the line of the config that set it', async () => {
    const file = configModule(
      config(`{
  components: {
    container: 'inversfy',
    router: { use: 'radix', options: { maxParamLength: 'long', caseSensitve: true } },
    middleware: [audit],
  },
}`, "const audit = defineComponent({ name: 'acme/audit', slot: 'middleware', contract: '^1.0', requires: ['orm'], middleware: () => (_c, n) => n() })") + '\n',
    )
    const result = await cli(['check', '--config', 'app.ts'], dirname(file))
    expect(result.code).toBe(1)
    expect(result.out.split('\n')).toEqual([
      'app.ts: preset minimal, environment test (NODE_ENV variable)',
      expect.stringMatching(/^✗ container \(app\.ts:6\): No installed package declares a container component named 'inversfy'\..* \[DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT\]$/),
      expect.stringMatching(/^✗ router \(app\.ts:7\): Component 'router\/radix' has invalid options: option 'maxParamLength': .+; option '\(root\)': Unrecognized key: "caseSensitve" \[DOVETAIL_ERR_COMPONENT_OPTIONS\]$/),
      "✗ slots: Component 'acme/audit' requires the orm slot, which no component fills. Add one under components.orm. [DOVETAIL_ERR_COMPONENT_MISSING_REQUIREMENT]",
      '3 problems: createApp would refuse this config.',
    ])
  })

  it('passes a config createApp accepts, without starting it unless asked to --connect', async () => {
    const file = configModule(
      config(
        "{ components: { middleware: [counted()] }, routes(r) { r.get('/', (ctx) => ctx.text('hi')) } }",
        "let starts = 0\nconst counted = defineComponent({ name: 'acme/counted', slot: 'middleware', contract: '^1.0', middleware: () => (_c, n) => n(), start() { starts++; (globalThis as any).checkStarts = starts } })",
      ),
    )
    const checked = await cli(['check', '--config', file], tmp)
    expect(checked).toEqual({
      code: 0,
      out: `${file}: preset minimal, environment test (NODE_ENV variable)\n✓ 4 components checked: createApp would accept this config. Nothing was started; --connect starts the components (connects the database).`,
      err: '',
    })
    expect((globalThis as { checkStarts?: number }).checkStarts).toBeUndefined()
    const connected = await cli(['check', '--config', file, '--connect', '--env', 'production'], tmp)
    expect(connected).toMatchObject({ code: 0, err: '' })
    expect(connected.out).toContain('environment production (--env flag)')
    expect(connected.out).toContain('✓ 4 components checked, started and stopped')
    expect((globalThis as { checkStarts?: number }).checkStarts).toBe(1)
  })

  it('has usage, and refuses arguments', async () => {
    expect(await cli(['check', '--help'], tmp)).toMatchObject({ code: 0, out: expect.stringContaining('Usage: dovetail check [--config <module>] [--env <name>] [--connect]') })
    expect(await cli(['check', 'app.ts'], tmp)).toMatchObject({ code: 2, err: expect.stringContaining('takes no arguments') })
    expect(await cli(['check', '--config', 'nowhere.ts'], tmp)).toMatchObject({ code: 2, err: expect.stringContaining('does not exist') })
  })
})
