import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from './index.js'
import { templateExtensions } from './scaffold/choices.js'
import { componentPackages, presetComponents, presetNames } from './scaffold/preset-needs.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const ownManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string
  peerDependencies: Record<string, string>
}
const run = promisify(execFile)

let tmp: string

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dovetail-cli-'))
  // What `npm install` would give the generated projects: every package this checkout has.
  symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'), 'dir')
})

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Run the command line in-process, as the bin does, and collect what it printed. */
async function cli(argv: string[], cwd = tmp): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), cwd })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** Set environment variables for one block, then put them back. */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
  apply(vars)
  try {
    return await body()
  } finally {
    apply(saved)
  }
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()

const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> }

const mikroOrm = ['@mikro-orm/core', '@mikro-orm/knex', '@mikro-orm/libsql', '@mikro-orm/migrations']

/** The projects `new` makes, each checked for its files, and later typechecked and tested. */
const projects = [
  { dir: 'plain', args: [], packages: [] },
  { dir: 'swapped', args: ['--container', 'inversify', '--template', 'nunjucks'], packages: ['inversify', 'nunjucks'] },
  { dir: 'notes-api', args: ['--preset', 'api', '--template', 'eta'], packages: [...mikroOrm, 'busboy', 'eta', 'pino'] },
  { dir: 'site', args: ['--preset', 'fullstack'], packages: [...mikroOrm, 'busboy', 'eta', 'pino'] },
  { dir: 'site-njk', args: ['--preset', 'fullstack', '--template', 'nunjucks', '--container', 'inversify'], packages: [...mikroOrm, 'busboy', 'inversify', 'nunjucks', 'pino'] },
]

describe('dovetail new', () => {
  beforeAll(async () => {
    for (const p of projects) expect((await cli(['new', p.dir, ...p.args])).code).toBe(0)
  })

  it('writes each preset\'s files, and nothing else', () => {
    const common = ['.gitignore', 'README.md', 'app.ts', 'package.json', 'server.ts', 'test/app.test.ts', 'tsconfig.json']
    const migration = expect.stringMatching(/^migrations\/Migration\d{14}_notes\.ts$/)
    expect(filesUnder(join(tmp, 'plain'))).toEqual(common)
    expect(filesUnder(join(tmp, 'swapped'))).toEqual([...common, 'views/index.njk', 'views/layout.njk'].sort())
    expect(filesUnder(join(tmp, 'notes-api'))).toEqual(
      ['.gitignore', 'README.md', 'app.ts', 'entities.ts', migration, 'package.json', 'server.ts', 'test/app.test.ts', 'tsconfig.json', 'views/index.eta', 'views/layout.eta'],
    )
    expect(filesUnder(join(tmp, 'site'))).toEqual(
      ['.gitignore', 'README.md', 'app.ts', 'entities.ts', migration, 'package.json', 'public/style.css', 'server.ts', 'test/app.test.ts', 'tsconfig.json', 'views/index.eta', 'views/layout.eta'],
    )
  })

  it('depends on this dovetail and on the optional packages its components import, at the versions dovetail declares', () => {
    for (const p of projects) {
      const manifest = manifestOf(join(tmp, p.dir))
      expect(manifest.name).toBe(p.dir)
      expect(Object.keys(manifest.dependencies).sort()).toEqual(['dovetailjs', ...p.packages].sort())
      expect(manifest.dependencies.dovetailjs).toBe(`^${ownManifest.version}`)
      for (const name of p.packages) expect(manifest.dependencies[name]).toBe(ownManifest.peerDependencies[name])
      expect(Object.keys(manifest.devDependencies)).toEqual(['@types/node', 'tsx', 'typescript', 'vitest'])
      expect('db:migrate' in manifest.scripts).toBe(p.packages.includes('@mikro-orm/core'))
    }
  })

  it('writes the choices into app.ts: the preset, a swapped container, the template engine', () => {
    const app = (dir: string) => readFileSync(join(tmp, dir, 'app.ts'), 'utf8')
    expect(app('plain')).toContain("preset: 'minimal'")
    expect(app('plain')).not.toContain('container:')
    expect(app('swapped')).toContain("container: 'inversify'")
    expect(app('swapped')).toContain("template: nunjucks({ views: here('./views') })")
    expect(app('site')).toContain("preset: 'fullstack'")
    expect(app('site')).toContain("template: eta({ views: here('./views') })")
    expect(readFileSync(join(tmp, 'site-njk', 'views', 'index.njk'), 'utf8')).toContain('{{ csrfField() }}')
  })

  it('makes projects that typecheck and pass their own tests against this checkout', async () => {
    // tsc and vitest as the project would run them, with `dovetailjs` mapped to this checkout's sources.
    const paths = {
      dovetailjs: [join(root, 'core/index.ts')],
      'dovetailjs/testing': [join(root, 'core/testing/index.ts')],
      'dovetailjs/components/*': [join(root, 'components/*/index.ts')],
      'dovetailjs/presets/*': [join(root, 'presets/*/index.ts')],
    }
    writeFileSync(
      join(tmp, 'tsconfig.check.json'),
      JSON.stringify({ extends: './plain/tsconfig.json', compilerOptions: { paths }, include: projects.map((p) => p.dir), exclude: ['**/node_modules'] }),
    )
    const aliases = Object.entries({
      '^dovetailjs$': 'core/index.ts',
      '^dovetailjs/testing$': 'core/testing/index.ts',
      '^dovetailjs/components/(.+)$': 'components/$1/index.ts',
      '^dovetailjs/presets/(.+)$': 'presets/$1/index.ts',
    }).map(([find, to]) => `{ find: new RegExp(${JSON.stringify(find)}), replacement: ${JSON.stringify(join(root, to))} }`)
    writeFileSync(
      join(tmp, 'vitest.config.mjs'),
      `export default { resolve: { alias: [${aliases.join(', ')}] }, test: { include: ${JSON.stringify(projects.map((p) => `${p.dir}/test/**/*.test.ts`))} } }\n`,
    )
    // A vitest of its own: none of this worker's VITEST_* variables.
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))), CI: '', NODE_ENV: 'test' }
    const [tsc, vitest] = await Promise.all([
      run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(tmp, 'tsconfig.check.json')], { cwd: tmp, env }).catch((e) => e),
      run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', tmp, '--config', join(tmp, 'vitest.config.mjs')], { cwd: tmp, env }).catch((e) => e),
    ])
    // Errors in the checkout's own files are the repository typecheck's to report; these are the generated files'.
    const generated = String(tsc.stdout ?? '').split('\n').filter((line) => projects.some((p) => line.startsWith(`${p.dir}/`)))
    expect(generated).toEqual([])
    expect(String(tsc.stderr ?? '')).toBe('')
    expect(vitest.code, `${vitest.stdout}\n${vitest.stderr}`).toBeUndefined()
    expect(vitest.stdout).toMatch(/Test Files\s+.*5 passed/)
  }, 120_000)

  it('refuses a directory that is not empty, and leaves it alone', async () => {
    const before = readFileSync(join(tmp, 'plain', 'app.ts'), 'utf8')
    const result = await cli(['new', 'plain', '--preset', 'api'])
    expect(result.code).toBe(2)
    expect(result.err).toContain(`${join(tmp, 'plain')} is not empty (.gitignore, README.md, app.ts, package.json, server.ts, …)`)
    expect(readFileSync(join(tmp, 'plain', 'app.ts'), 'utf8')).toBe(before)
    expect(existsSync(join(tmp, 'plain', 'entities.ts'))).toBe(false)

    writeFileSync(join(tmp, 'a-file'), '')
    expect(await cli(['new', 'a-file'])).toMatchObject({ code: 2, err: expect.stringContaining('exists and is not a directory') })
  })

  it('writes into an empty directory that exists', async () => {
    mkdirSync(join(tmp, 'empty'))
    expect((await cli(['new', 'empty'])).code).toBe(0)
    expect(existsSync(join(tmp, 'empty', 'app.ts'))).toBe(true)
  })

  it('refuses unknown presets, containers, templates and options, naming the choices', async () => {
    expect(await cli(['new', 'x1', '--preset', 'blog'])).toEqual({
      code: 2,
      out: '',
      err: "Unknown preset 'blog'. Presets: minimal, api, fullstack.\nRun \"dovetail new --help\" for usage.",
    })
    expect((await cli(['new', 'x2', '--container', 'tsyringe'])).err).toContain("Unknown container 'tsyringe'. Choices for --container: awilix, inversify.")
    expect((await cli(['new', 'x3', '--template', 'pug'])).err).toContain("Unknown template 'pug'. Choices for --template: eta, nunjucks.")
    const unknown = await cli(['new', 'x4', '--force'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain("Unknown option '--force' for dovetail new. Options: --preset <value>, --container <value>, --template <value>, --help.")
    expect(await cli(['new', 'x5', '--preset'])).toMatchObject({ code: 2, err: expect.stringContaining("Option '--preset <value>' argument missing") })
    expect(await cli(['new'])).toMatchObject({ code: 2, err: expect.stringContaining('dovetail new needs the directory') })
    expect(await cli(['new', 'x6', 'x7'])).toMatchObject({ code: 2, err: expect.stringContaining('takes one directory, got 2: x6 x7') })
    for (const dir of ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']) expect(existsSync(join(tmp, dir))).toBe(false)
  })

  it('makes an npm package name from the directory name', async () => {
    expect((await cli(['new', 'My Shop!'])).code).toBe(0)
    expect(manifestOf(join(tmp, 'My Shop!')).name).toBe('my-shop')
  })
})


describe('dovetail info', () => {
  it('prints the components of minimal with the inversify container, then every installed component', async () => {
    expect((await cli(['new', 'hello-info', '--container', 'inversify'])).code).toBe(0)
    const result = await withEnv({ NODE_ENV: undefined }, () => cli(['info'], join(tmp, 'hello-info')))
    const core = `dovetailjs ${ownManifest.version}`
    expect(result.code).toBe(0)
    const [chosen, installed] = result.out.split('\nInstalled components:\n\n')
    expect(chosen!.split('\n').map((l) => l.split(/\s{2,}/))).toEqual([
      ['app.ts: preset minimal, environment development'],
      [''],
      ['slot', 'component', 'package', 'contract'],
      ['container', 'inversify', core, '^1.0'],
      ['router', 'radix', core, '^1.0'],
      ['server', 'node', core, '^1.0'],
      ['logger', '-'],
      ['template', '-'],
      ['orm', '-'],
      ['session-store', '-'],
      ['middleware', '-'],
      [''],
    ])
    expect(installed).toMatch(/^slot\s+name\s+package\s+contract\n/)
    expect(installed).toMatch(new RegExp(`\\ntemplate\\s+nunjucks\\s+${core}\\s+\\^1\\.0\\n`))
  })

  it("resolves for the environment asked for, with that environment's layer", async () => {
    writeFileSync(
      join(tmp, 'layered.ts'),
      `import { defineConfig } from 'dovetailjs'
export default defineConfig({ env: { production: { components: { container: 'inversify', logger: 'pino' } } } })
`,
    )
    const production = await cli(['info', '--config', 'layered.ts', '--env', 'production'])
    expect(production.out).toContain('layered.ts: preset minimal, environment production')
    expect(production.out).toMatch(/\ncontainer\s+inversify\s+dovetailjs \S+\s+\^1\.0\n/)
    expect(production.out).toMatch(/\nlogger\s+pino\s+dovetailjs \S+\s+\^1\.0\n/)
    const development = await cli(['info', '-c', 'layered.ts', '-e', 'development'])
    expect(development.out).toMatch(/\ncontainer\s+awilix\s+dovetailjs \S+\s+\^1\.0\n/)
    expect(development.out).toMatch(/\nlogger\s+-\n/)
  })

  it('marks a component made for another contract version', async () => {
    writeFileSync(
      join(tmp, 'future.ts'),
      `import { defineComponent, defineConfig } from 'dovetailjs'
const future = defineComponent({ name: 'future-router', slot: 'router', contract: '^2.0' })
export default defineConfig({ components: { router: future } })
`,
    )
    const result = await cli(['info', '--config', 'future.ts'])
    expect(result.code).toBe(0)
    expect(result.out).toMatch(/\nrouter\s+future-router\s+\(in config\)\s+\^2\.0 \(this core provides 1\.0\.0: createApp will refuse it\)\n/)
  })

  it('says what is wrong with the config module', async () => {
    expect(await cli(['info', '--config', 'missing.ts'])).toMatchObject({ code: 2, err: expect.stringContaining(`${join(tmp, 'missing.ts')} does not exist`) })
    writeFileSync(join(tmp, 'empty.ts'), 'export const nothing = 1\n')
    expect(await cli(['info', '--config', 'empty.ts'])).toMatchObject({ code: 1, err: expect.stringContaining('exports no config') })
    writeFileSync(join(tmp, 'bad-preset.ts'), "export default { preset: 'blog' }\n")
    expect(await cli(['info', '--config', 'bad-preset.ts'])).toMatchObject({
      code: 1,
      err: "No installed package declares a preset named 'blog'. Presets: minimal, api, fullstack; or pass a preset object from definePreset(). [DOVETAIL_ERR_CONFIG_UNKNOWN_PRESET]",
    })
    expect(await cli(['info', 'app.ts'])).toMatchObject({ code: 2, err: expect.stringContaining('takes no arguments') })
  })
})

describe('dovetail db', () => {
  it('runs migrate through the orm component on a SQLite file, then reports it executed', async () => {
    const project = join(tmp, 'db-project')
    expect((await cli(['new', 'db-project', '--preset', 'api'])).code).toBe(0)
    const database = join(tmp, 'db-project.db')
    await withEnv({ NODE_ENV: 'development', DATABASE_URL: `file:${database}` }, async () => {
      const migrated = await cli(['db', 'migrate', '--config', 'app.ts'], project)
      expect(migrated).toMatchObject({ code: 0, err: '' })
      expect(migrated.out).toMatch(/^migrated: Migration\d{14}_notes$/)
      expect(existsSync(database)).toBe(true)
      expect((await cli(['db', 'migration:status', '-c', 'app.ts'], project)).out).toMatch(/^executed {2}Migration\d{14}_notes$/)
      expect((await cli(['db', 'migrate', '--config=app.ts'], project)).out).toBe('No pending migrations.')
    })
  })

  it('passes usage errors and help through', async () => {
    const unknown = await cli(['db', 'migrat', '--config', 'app.ts'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain("Unknown command 'migrat'")
    const help = await cli(['db', '--help'])
    expect(help.code).toBe(0)
    expect(help.out).toContain('Usage: dovetail db <command> --config <module>')
    expect(help.out).toContain('migration:create')
    expect((await cli(['db'])).code).toBe(0)
  })
})

describe('the dovetail command', () => {
  it('prints its version and help', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, out: ownManifest.version, err: '' })
    const help = await cli(['--help'])
    expect(help.code).toBe(0)
    for (const command of ['new <dir>', 'info', 'db <command>']) expect(help.out).toContain(command)
    for (const command of ['new', 'info']) {
      const own = await cli([command, '--help'])
      expect(own.code).toBe(0)
      expect(own.out).toContain(`Usage: dovetail ${command}`)
    }
  })

  it('refuses no command, an unknown one, an unknown option', async () => {
    expect(await cli([])).toMatchObject({ code: 2, err: expect.stringContaining('Usage: dovetail <command>') })
    expect(await cli(['serve'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown command 'serve'. Commands: new, info, db.") })
    expect(await cli(['--verbose'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--verbose'") })
  })

  it('runs as an executable, with its exit code', async () => {
    const bin = (args: string[]) =>
      run(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'core/cli/bin.ts'), ...args], { cwd: tmp }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      )
    const [version, refused] = await Promise.all([bin(['--version']), bin(['new', 'x8', '--preset', 'blog'])])
    expect(version).toMatchObject({ code: 0, stdout: `${ownManifest.version}\n` })
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown preset 'blog'") })
    expect(readFileSync(join(root, 'core/cli/bin.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
  })
})

describe('docs/cli.md', () => {
  it('shows what the commands print', async () => {
    const docs = join(tmp, 'docs')
    mkdirSync(docs)
    const doc = readFileSync(join(root, 'docs/cli.md'), 'utf8')
    const sessions = [...doc.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(sessions.length).toBeGreaterThanOrEqual(4)
    // Migration names carry the time the project was made.
    const normalize = (text: string) => text.replace(/Migration\d{14}_/g, 'Migration<time>_').trimEnd()
    await withEnv({ NODE_ENV: 'development', DATABASE_URL: `file:${join(tmp, 'docs.db')}` }, async () => {
      for (const session of sessions) {
        let cwd = docs
        for (const step of session.split(/^\$ /m).filter(Boolean)) {
          const [command, ...expected] = step.split('\n')
          const words = command!.trim().split(/\s+/)
          if (words[0] === 'cd') {
            cwd = resolve(cwd, words[1]!)
            continue
          }
          expect(['npx dovetail', 'npx dovetailjs'], command).toContain(words.slice(0, 2).join(' '))
          const result = await cli(words.slice(2), cwd)
          expect(normalize([result.out, result.err].filter(Boolean).join('\n')), command).toBe(normalize(expected.join('\n')))
        }
      }
    })
  })
})
