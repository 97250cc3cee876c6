import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from './index.js'

/*
 * `dovetail info`: where each slot's component came from, the options it
 * runs with, and a marked row instead of a stop for a broken component.
 */

let tmp: string

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dovetail-info-'))
})

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), cwd })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** A project folder with views and public folders and an app.ts. */
function project(name: string, appTs: (dir: string) => string): string {
  const dir = join(tmp, name)
  mkdirSync(join(dir, 'views'), { recursive: true })
  mkdirSync(join(dir, 'public'), { recursive: true })
  writeFileSync(join(dir, 'app.ts'), appTs(dir))
  return dir
}

/** A config like the one `dovetail new --preset fullstack` writes; the template engine and its line are the point. */
const fullstack = (engine: 'eta' | 'nunjucks') => (dir: string) => `import { defineConfig } from 'dovetailjs'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'

export default defineConfig({
  preset: 'fullstack',
  components: {
    container: 'awilix',
    template: { use: '${engine}', options: { views: '${dir}/views' } },
    orm: { use: 'mikro-orm', options: { url: 'postgresql://app:hunter2@127.0.0.1:5432/app' } },
    'session-store': 'memory',
    middleware: {
      replace: {
        session: sessionMiddleware({ secrets: ['${'s'.repeat(40)}'] }),
        static: { use: 'static', options: { root: '${dir}/public', prefix: '/static' } },
      },
    },
  },
  env: {
    production: { components: { logger: { use: 'pino', options: { level: 'warn' } } } },
  },
})
`

/** The table's rows by slot label: [component, package, contract, from]. */
const rows = (out: string): Map<string, string[]> => {
  const lines = out.split('\n')
  const start = lines.findIndex((l) => l.startsWith('slot '))
  const end = lines.indexOf('', start)
  return new Map(lines.slice(start + 1, end).map((l) => l.split(/ {2,}/)).map(([slot, ...rest]) => [slot!, rest]))
}

describe('dovetail info', () => {
  it('shows where every slot of a fullstack config was chosen: the preset, a line of app.ts, an environment layer', async () => {
    const dir = project('site-eta', fullstack('eta'))
    const result = await cli(['info'], dir)
    expect(result).toMatchObject({ code: 0, err: '' })
    const table = rows(result.out)
    expect([...table.keys()]).toEqual([
      'container', 'router', 'server', 'logger', 'template', 'orm', 'session-store', 'cache',
      ...Array.from({ length: 10 }, (_, i) => `middleware ${i + 1}`),
    ])
    // The preset leaves the cache slot empty: its row says so, with no source.
    expect(table.get('cache')).toEqual(['-'])
    for (const [slot, [, , , from]] of table) if (slot !== 'cache') expect(from, slot).toMatch(/^(preset fullstack|app\.ts:\d+.*)$/)
    expect(table.get('container')).toEqual(['awilix', 'dovetailjs 0.1.0', '^1.0', 'app.ts:7'])
    expect(table.get('router')).toEqual(['radix', 'dovetailjs 0.1.0', '^1.0', 'preset fullstack'])
    expect(table.get('template')).toEqual(['eta', 'dovetailjs 0.1.0', '^1.0', 'app.ts:8'])
    expect(table.get('middleware 5')).toEqual(['static', 'dovetailjs 0.1.0', '^1.0', 'app.ts:14'])
    expect(table.get('middleware 6')).toEqual(['middleware/session', '(in config)', '^1.0', 'app.ts:13'])
    expect(table.get('middleware 7')?.[3]).toBe('preset fullstack')
    expect(result.out).toContain('app.ts: preset fullstack, environment test (NODE_ENV variable)')

    const production = await cli(['info', '--env', 'production'], dir)
    expect(production.out).toContain('app.ts: preset fullstack, environment production (--env flag)')
    expect(rows(production.out).get('logger')).toEqual(['pino', 'dovetailjs 0.1.0', '^1.0', 'app.ts:19 (env production)'])
  })

  it('shows the template changed to nunjucks in app.ts, with the line that chose it', async () => {
    const dir = project('site-njk', fullstack('nunjucks'))
    const result = await cli(['info', '--config', 'app.ts'], dir)
    expect(result.code).toBe(0)
    expect(rows(result.out).get('template')).toEqual(['nunjucks', 'dovetailjs 0.1.0', '^1.0', 'app.ts:8'])
  })

  it('shows the effective options with secrets and URL passwords masked', async () => {
    const dir = project('site-options', fullstack('eta'))
    const result = await cli(['info', '--options'], dir)
    expect(result.code).toBe(0)
    expect(result.out).not.toContain('hunter2')
    expect(result.out).not.toContain('s'.repeat(40))
    const options = rows(result.out.slice(result.out.indexOf('Options (secrets masked):')))
    expect(options.get('orm')?.join('  ')).toContain("url='postgresql://app:***@127.0.0.1:5432/app'")
    expect(options.get('middleware 6')?.join('  ')).toMatch(/^secrets=\*\*\* {2}cookie\.name='sid'/)
    // Paths inside the project are shown relative to it.
    expect(options.get('template')?.join('  ')).toContain("views=['./views']")
    expect(options.get('router')).toEqual(['ignoreTrailingSlash=false', 'ignoreDuplicateSlashes=false', 'caseSensitive=true', 'maxParamLength=500', 'regexCheckSteps=1000'])
  })

  it('prints the same as JSON, with the file and line of each choice', async () => {
    const dir = project('site-json', fullstack('eta'))
    const result = await cli(['info', '--json'], dir)
    expect(result.code).toBe(0)
    const report = JSON.parse(result.out) as {
      environment: unknown
      slots: Array<{ label: string; component: string; source: unknown; options: Record<string, unknown>; problem: unknown }>
      installed: unknown[]
      server: unknown
    }
    expect(report.environment).toEqual({ name: 'test', source: { layer: 'variable', path: 'NODE_ENV' } })
    const template = report.slots.find((s) => s.label === 'template')!
    expect(template).toMatchObject({ component: 'eta', source: { layer: 'config', path: 'components.template', file: 'app.ts', line: 8 }, problem: null })
    expect(template.options).toMatchObject({ views: ['./views'] })
    expect(report.slots.find((s) => s.label === 'router')!.source).toEqual({ layer: 'preset', path: 'components.router', file: expect.stringMatching(/presets\/fullstack\/preset\.json$/) })
    expect(report.slots.find((s) => s.label === 'middleware 6')!.options).toMatchObject({ secrets: '***' })
    expect(report.slots.filter((s) => s.source === null).map((s) => s.label)).toEqual(['cache'])
    expect(report.server).toEqual({ port: { value: 3000, source: { layer: 'default', path: 'server.port' } }, host: { value: '127.0.0.1', source: { layer: 'default', path: 'server.host' } } })
    expect(report.installed).toContainEqual({ slot: 'template', name: 'nunjucks', package: 'dovetailjs', version: '0.1.0', contract: '^1.0', contractSatisfied: true })
    expect(result.out).not.toContain('hunter2')
  })

  it('does not stop at a broken component: the table is printed with each broken row marked, and the exit code is 1', async () => {
    const dir = project('broken', () => `import { defineConfig } from 'dovetailjs'
export default defineConfig({
  components: {
    container: 'inversfy',
    router: { use: 'radix', options: { maxParamLength: 'long' } },
    logger: 'pino',
  },
})
`)
    const result = await cli(['info'], dir)
    expect(result.code).toBe(1)
    const table = rows(result.out)
    expect(table.get('container ✗')).toEqual(['inversfy', 'app.ts:4'])
    expect(table.get('router ✗')).toEqual(['radix', 'dovetailjs 0.1.0', '^1.0', 'app.ts:5'])
    expect(table.get('logger')).toEqual(['pino', 'dovetailjs 0.1.0', '^1.0', 'app.ts:6'])
    expect(table.get('server')).toEqual(['node', 'dovetailjs 0.1.0', '^1.0', 'preset minimal'])
    const marks = result.out.split('\n').filter((l) => l.startsWith('✗ '))
    expect(marks).toEqual([
      expect.stringMatching(/^✗ container: No installed package declares a container component named 'inversfy'\. .* \[DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT\]$/),
      expect.stringMatching(/^✗ router: Component 'router\/radix' has invalid options: option 'maxParamLength': .* \[DOVETAIL_ERR_COMPONENT_OPTIONS\]$/),
    ])
    expect(result.out).toContain('Installed components:')
    const json = JSON.parse((await cli(['info', '--json'], dir)).out) as { problems: Array<{ where: string; code: string }> }
    expect(json.problems.map((p) => [p.where, p.code])).toEqual([
      ['container', 'DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT'],
      ['router', 'DOVETAIL_ERR_COMPONENT_OPTIONS'],
    ])
  })

  it('names PORT and HOST as the source of where app.listen() listens', async () => {
    const dir = project('listen', () => "export default { server: { port: 4100 } }\n")
    const before = { PORT: process.env.PORT, HOST: process.env.HOST }
    try {
      process.env.HOST = '0.0.0.0'
      delete process.env.PORT
      expect((await cli(['info'], dir)).out).toContain('listen on: 0.0.0.0 (HOST variable), port 4100 (app.ts:1)')
    } finally {
      for (const [key, value] of Object.entries(before)) if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  })
})
