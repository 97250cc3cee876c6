import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from './index.js'

/*
 * The command line in-process: arguments, usage errors, the files `new`
 * writes and what is in them. Nothing here installs or runs a generated
 * project; test/package/scaffolds.test.ts does that from the packed tarball,
 * and test/package/cli-docs.test.ts runs docs/cli.md's console sessions there.
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
const ownManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string
  dependencies: Record<string, string>
  peerDependencies: Record<string, string>
  devDependencies: Record<string, string>
}
const run = promisify(execFile)

let tmp: string

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dovetail-cli-'))
})

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Run the command line in-process, as the bin does, and collect what it printed. */
async function cli(argv: string[], cwd = tmp): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), cwd })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()

const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> }

const read = (...path: string[]) => readFileSync(join(tmp, ...path), 'utf8')

const mikroOrm = ['@mikro-orm/core', '@mikro-orm/knex', '@mikro-orm/migrations']

/** The projects `new` makes here, each checked for its files and its dependencies. */
/** What the api and fullstack scaffolds' own code imports (zod checks request input), besides what their components need. */
const scaffoldOwn = ['zod']

const projects = [
  { dir: 'plain', args: [], packages: [], own: [] },
  { dir: 'swapped', args: ['--container', 'inversify'], packages: ['inversify'], own: [] },
  { dir: 'notes-api', args: ['--preset', 'api'], packages: [...mikroOrm, '@mikro-orm/libsql', 'busboy', 'pino', 'swagger-ui-dist'], own: scaffoldOwn },
  { dir: 'notes-pg', args: ['--preset', 'api', '--db', 'postgresql'], packages: [...mikroOrm, '@mikro-orm/postgresql', 'busboy', 'pino', 'swagger-ui-dist'], own: scaffoldOwn },
  { dir: 'site', args: ['--preset', 'fullstack'], packages: [...mikroOrm, '@mikro-orm/libsql', 'busboy', 'eta', 'pino'], own: scaffoldOwn },
  {
    dir: 'site-njk',
    args: ['--preset', 'fullstack', '--template', 'nunjucks', '--container', 'inversify', '--db', 'mysql', '--session-store', 'redis'],
    packages: [...mikroOrm, '@mikro-orm/mysql', 'busboy', 'inversify', 'ioredis', 'nunjucks', 'pino'],
    own: scaffoldOwn,
  },
]

describe('dovetail new', () => {
  beforeAll(async () => {
    for (const p of projects) expect((await cli(['new', p.dir, ...p.args])).code).toBe(0)
  })

  it("writes each preset's scaffold, with the chosen views, and nothing else", () => {
    const common = ['.gitignore', 'README.md', 'app.ts', 'package.json', 'server.ts', 'test/app.test.ts', 'tsconfig.build.json', 'tsconfig.json']
    const migration = expect.stringMatching(/^migrations\/Migration\d{14}_notes\.ts$/)
    const data = ['database.ts', 'entities.ts', migration, 'migrations/index.ts']
    expect(filesUnder(join(tmp, 'plain'))).toEqual(common)
    expect(filesUnder(join(tmp, 'swapped'))).toEqual(common)
    expect(filesUnder(join(tmp, 'notes-api'))).toEqual([...common.slice(0, 3), ...data, 'package.json', 'schemas.ts', ...common.slice(4, 6), 'test/openapi.test.ts', ...common.slice(6)])
    expect(filesUnder(join(tmp, 'site'))).toEqual([...common.slice(0, 3), ...data, 'package.json', 'public/style.css', ...common.slice(4), 'views/index.eta', 'views/layout.eta'])
    expect(filesUnder(join(tmp, 'site-njk'))).toContain('views/index.njk')
    expect(filesUnder(join(tmp, 'site-njk'))).not.toContain('views/index.eta')
  })

  it('depends on this dovetail and on what its components need, at the versions their package declares', () => {
    for (const p of projects) {
      const manifest = manifestOf(join(tmp, p.dir))
      expect(manifest.name).toBe(p.dir.toLowerCase())
      expect(Object.keys(manifest.dependencies)).toEqual(['dovetailjs', ...p.packages, ...p.own].sort())
      // Run from the sources, not from an install of a tarball or folder: the registry's version.
      expect(manifest.dependencies.dovetailjs).toBe(`^${ownManifest.version}`)
      for (const name of p.packages) expect(manifest.dependencies[name]).toBe(ownManifest.peerDependencies[name])
      // The scaffold's own imports at the range dovetailjs itself depends on, so a project installs one copy.
      for (const name of p.own) expect(manifest.dependencies[name], name).toBe(ownManifest.dependencies[name])
      expect('db:migrate' in manifest.scripts).toBe(p.packages.includes('@mikro-orm/core'))
      expect(manifest.scripts).toMatchObject({ build: 'tsc -p tsconfig.build.json', start: 'node dist/server.js', dev: 'dovetail dev', test: 'vitest run' })
    }
  })

  it("gives the projects the tools this repository is developed with, at its versions", () => {
    const { devDependencies } = manifestOf(join(tmp, 'site'))
    for (const [name, range] of Object.entries(devDependencies)) expect(range, name).toBe(ownManifest.devDependencies[name])
  })

  it('fills every placeholder: the choices in app.ts, the database in the README', () => {
    const leftovers = (dir: string) => filesUnder(join(tmp, dir)).filter((f) => /\{\{[A-Za-z][\w-]*\}\}/.test(read(dir, f)))
    for (const p of projects) expect(leftovers(p.dir), p.dir).toEqual([])
    expect(read('plain', 'app.ts')).toContain("preset: 'minimal'")
    expect(read('plain', 'app.ts')).toContain("container: 'awilix'")
    expect(read('swapped', 'app.ts')).toContain("container: 'inversify'")
    expect(read('site', 'app.ts')).toContain("template: { use: 'eta', options: { views: './views' } }")
    expect(read('site', 'app.ts')).toContain("'session-store': 'sql'")
    expect(read('site-njk', 'app.ts')).toContain("template: { use: 'nunjucks', options: { views: './views' } }")
    expect(read('site-njk', 'app.ts')).toContain("'session-store': { use: 'redis', options: { url: process.env.REDIS_URL || 'redis://127.0.0.1:6379' } }")
    expect(read('site-njk', 'views', 'index.njk')).toContain('{{ csrfField() }}')
    expect(read('notes-api', 'database.ts')).toContain("process.env.DATABASE_URL || 'file:./data/app.db'")
    expect(read('notes-api', 'database.ts')).toContain("process.env.TEST_DATABASE_URL || ':memory:'")
    expect(read('notes-pg', 'database.ts')).toContain("process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/notes_pg'")
    expect(read('notes-pg', 'README.md')).toContain('createdb notes_pg && createdb notes_pg_test')
    const [migration] = filesUnder(join(tmp, 'notes-api')).filter((f) => f.startsWith('migrations/Migration'))
    const className = /Migration\d{14}_notes/.exec(migration!)![0]
    expect(read('notes-api', migration!)).toContain(`export class ${className} extends Migration`)
    expect(read('notes-api', 'migrations', 'index.ts')).toContain(`export const migrations = [${className}]`)
  })

  it('says what it made and what to run next', async () => {
    const made = await cli(['new', 'told', '--preset', 'fullstack', '--template', 'nunjucks'])
    expect(made.out.split('\n')[0]).toBe('Created told: the fullstack preset, container awilix, template nunjucks, orm mikro-orm, db sqlite, session-store sql.')
    expect(made.out).toMatch(/\n {2}views\/layout\.njk\n\nNext:\n {2}cd told\n {2}npm install\n {2}npm run db:migrate\n {2}npm run dev$/)
  })

  it('refuses a directory that is not empty, and leaves it alone', async () => {
    const before = read('plain', 'app.ts')
    const result = await cli(['new', 'plain', '--preset', 'api'])
    expect(result.code).toBe(2)
    expect(result.err).toContain(`${join(tmp, 'plain')} is not empty (.gitignore, README.md, app.ts, package.json, server.ts, …)`)
    expect(read('plain', 'app.ts')).toBe(before)
    expect(existsSync(join(tmp, 'plain', 'entities.ts'))).toBe(false)

    writeFileSync(join(tmp, 'a-file'), '')
    expect(await cli(['new', 'a-file'])).toMatchObject({ code: 2, err: expect.stringContaining('exists and is not a directory') })
  })

  it('writes into an empty directory that exists', async () => {
    mkdirSync(join(tmp, 'empty'))
    expect((await cli(['new', 'empty'])).code).toBe(0)
    expect(existsSync(join(tmp, 'empty', 'app.ts'))).toBe(true)
  })

  it('refuses unknown presets, values and options, naming the choices the installed packages offer', async () => {
    expect(await cli(['new', 'x1', '--preset', 'blog'])).toEqual({
      code: 2,
      out: '',
      err: "Unknown preset 'blog'. Presets: minimal, api, fullstack.\nRun \"dovetail new --help\" for usage.",
    })
    expect((await cli(['new', 'x2', '--container', 'tsyringe'])).err).toContain("Unknown container 'tsyringe'. Choices for --container with the minimal preset: awilix, inversify.")
    expect((await cli(['new', 'x3', '--preset', 'fullstack', '--template', 'pug'])).err).toContain("Unknown template 'pug'. Choices for --template with the fullstack preset: eta, nunjucks.")
    expect((await cli(['new', 'x3', '--preset', 'api', '--db', 'oracle'])).err).toContain("Unknown db 'oracle'. Choices for --db with the api preset: sqlite, postgresql, mysql.")
    expect((await cli(['new', 'x3', '--preset', 'fullstack', '--session-store', 'files'])).err).toContain(
      "Unknown session-store 'files'. Choices for --session-store with the fullstack preset: cookie, memory, redis, sql.",
    )
    const unknown = await cli(['new', 'x4', '--force'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain("Unknown option '--force' for dovetail new. Options: --preset <value>, --container <value>, --template <value>, --orm <value>, --db <value>, --session-store <value>, --help.")
    expect(await cli(['new', 'x5', '--preset'])).toMatchObject({ code: 2, err: expect.stringContaining("Option '--preset <value>' argument missing") })
    expect(await cli(['new'])).toMatchObject({ code: 2, err: expect.stringContaining('dovetail new needs the directory') })
    expect(await cli(['new', 'x6', 'x7'])).toMatchObject({ code: 2, err: expect.stringContaining('takes one directory, got 2: x6 x7') })
    for (const dir of ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']) expect(existsSync(join(tmp, dir))).toBe(false)
  })

  it("refuses an option the preset does not take, naming those it does", async () => {
    expect(await cli(['new', 'y1', '--db', 'sqlite'])).toMatchObject({ code: 2, err: expect.stringContaining('The minimal preset takes no --db: it has no database. Options it takes: --container.') })
    expect(await cli(['new', 'y2', '--preset', 'api', '--template', 'eta'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('The api preset takes no --template: it has no template slot. Options it takes: --container, --orm, --db.'),
    })
    expect((await cli(['new', 'y3', '--preset', 'api', '--session-store', 'sql'])).err).toContain('The api preset takes no --session-store')
    for (const dir of ['y1', 'y2', 'y3']) expect(existsSync(join(tmp, dir))).toBe(false)
  })

  it('lists each preset with the values of each option it takes', async () => {
    const help = await cli(['new', '--help'])
    expect(help.code).toBe(0)
    expect(help.out).toContain('  minimal\n    --container awilix | inversify  (default: awilix)\n  api\n')
    expect(help.out).toContain('    --db sqlite | postgresql | mysql  (default: sqlite)')
    expect(help.out).toContain('    --session-store cookie | memory | redis | sql  (default: sql)')
  })

  it('makes an npm package name from the directory name', async () => {
    expect((await cli(['new', 'My Shop!'])).code).toBe(0)
    expect(manifestOf(join(tmp, 'My Shop!')).name).toBe('my-shop')
  })
})

describe('dovetail new with a preset from another package', () => {
  /** A project folder depending on a package that declares a container and a preset with a scaffold, as docs/presets.md describes. */
  function thirdParty(scaffoldApp: string): string {
    const project = mkdtempSync(join(tmp, 'third-'))
    const pkg = join(project, 'node_modules', 'acme-dovetail')
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'workspace', private: true, dependencies: { 'acme-dovetail': '^1.2.0' } }),
      'node_modules/acme-dovetail/package.json': JSON.stringify({
        name: 'acme-dovetail',
        version: '1.2.0',
        peerDependencies: { 'tiny-di': '^2.0.0' },
        dovetail: {
          components: [{ slot: 'container', name: 'tiny', entry: '.', contract: '^1.0', needs: ['tiny-di'] }],
          presets: [{ name: 'acme', file: './acme/preset.json', scaffold: './acme/scaffold' }],
        },
      }),
      'node_modules/acme-dovetail/acme/preset.json': JSON.stringify({ name: 'acme', components: { container: 'tiny', router: 'radix', server: 'node' } }),
      'node_modules/acme-dovetail/acme/scaffold/scaffold.json': JSON.stringify({
        values: { wiring: { by: 'container', cases: { tiny: 'tiny wiring for {{name}}', '*': 'wired by {{container}}' } } },
        next: ['npm install', 'npm start'],
      }),
      'node_modules/acme-dovetail/acme/scaffold/base/package.json': JSON.stringify({ name: '{{name}}', private: true, dependencies: { marked: '^18.0.0' } }),
      'node_modules/acme-dovetail/acme/scaffold/base/app.ts': scaffoldApp,
    }
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(project, path)), { recursive: true })
      writeFileSync(join(project, path), text)
    }
    expect(existsSync(pkg)).toBe(true)
    return project
  }

  it('makes the project from its scaffold, with its components and their needs, offering its container beside the built-ins', async () => {
    const project = thirdParty("export default { preset: '{{preset}}', components: { container: '{{container}}' } } // {{wiring}}\n")
    const made = await cli(['new', 'shop', '--preset', 'acme'], project)
    expect(made).toMatchObject({ code: 0, err: '' })
    expect(made.out).toContain('Created shop: the acme preset, container tiny.')
    expect(made.out).toMatch(/Next:\n {2}cd shop\n {2}npm install\n {2}npm start$/)
    expect(readFileSync(join(project, 'shop', 'app.ts'), 'utf8')).toBe("export default { preset: 'acme', components: { container: 'tiny' } } // tiny wiring for shop\n")
    expect(manifestOf(join(project, 'shop')).dependencies).toEqual({ 'acme-dovetail': '^1.2.0', dovetailjs: `^${ownManifest.version}`, marked: '^18.0.0', 'tiny-di': '^2.0.0' })

    expect((await cli(['new', 'other', '--preset', 'acme', '--container', 'inversify'], project)).code).toBe(0)
    expect(readFileSync(join(project, 'other', 'app.ts'), 'utf8')).toContain('// wired by inversify')
    expect((await cli(['new', 'x', '--preset', 'acme', '--container', 'nope'], project)).err).toContain('Choices for --container with the acme preset: awilix, inversify, tiny.')
    // Built-in presets see the package's container too: discovery reads the project's dependencies.
    expect((await cli(['new', 'x', '--container', 'nope'], project)).err).toContain('Choices for --container with the minimal preset: awilix, inversify, tiny.')
  })

  it("fails on a placeholder the scaffold has no value for, naming the file", async () => {
    const project = thirdParty('// {{colour}}\n')
    const result = await cli(['new', 'shop', '--preset', 'acme'], project)
    expect(result.code).toBe(1)
    expect(result.err).toContain('base/app.ts has the placeholder {{colour}}, which this project has no value for. Placeholders: container, dovetailVersion, name, preset, snakeName, timestamp, wiring.')
  })
})

describe('dovetail info', () => {
  it("resolves for the environment asked for, with that environment's layer", async () => {
    writeFileSync(
      join(tmp, 'layered.ts'),
      `import { defineConfig } from 'dovetailjs'
export default defineConfig({ env: { production: { components: { container: 'inversify', logger: 'pino' } } } })
`,
    )
    const production = await cli(['info', '--config', 'layered.ts', '--env', 'production'])
    expect(production.out).toContain('layered.ts: preset minimal, environment production')
    expect(production.out).toMatch(/\ncontainer\s+inversify\s+dovetailjs \S+\s+\^1\.0\s+layered\.ts:2 \(env production\)\n/)
    expect(production.out).toMatch(/\nlogger\s+pino\s+dovetailjs \S+\s+\^1\.0\s+layered\.ts:2 \(env production\)\n/)
    const development = await cli(['info', '-c', 'layered.ts', '-e', 'development'])
    expect(development.out).toMatch(/\ncontainer\s+awilix\s+dovetailjs \S+\s+\^1\.0\s+preset minimal\n/)
    expect(development.out).toMatch(/\nlogger\s+-\n/)
  })

  it('marks a component made for another contract version, and exits with 1 as createApp would refuse it', async () => {
    writeFileSync(
      join(tmp, 'future.ts'),
      `import { defineComponent, defineConfig } from 'dovetailjs'
const future = defineComponent({ name: 'future-router', slot: 'router', contract: '^2.0' })
export default defineConfig({ components: { router: future } })
`,
    )
    const result = await cli(['info', '--config', 'future.ts'])
    expect(result.code).toBe(1)
    expect(result.out).toMatch(/\nrouter ✗\s+future-router\s+\(in config\)\s+\^2\.0 \(this core provides 1\.2\.0: createApp will refuse it\)\s+future\.ts:3\n/)
    expect(result.out).toContain("\n✗ router: Component 'future-router' implements the router contract ^2.0, but this core (dovetailjs) provides router contract 1.2.0.")
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
  it('outside a project, says where the command comes from', async () => {
    const help = await cli(['db', '--help'])
    expect(help.code).toBe(0)
    expect(help.out).toContain("'db' is not a command of the core: it comes from a component of your")
    expect(await cli(['db', 'migrate'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown command 'db'. Commands: new, info, check, routes, explain, start, dev, shell, generate, and those the components of a project's config add") })
  })

  it("is the command of the config's orm component, with its usage errors and help", async () => {
    writeFileSync(join(tmp, 'orm-app.ts'), "import { defineConfig } from 'dovetailjs'\nexport default defineConfig({ components: { orm: { use: 'mikro-orm', options: { url: ':memory:' } } } })\n")
    const unknown = await cli(['db', 'migrat', '--config', 'orm-app.ts'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain("Unknown command 'migrat'")
    const help = await cli(['db', '--help', '--config', 'orm-app.ts'])
    expect(help).toMatchObject({ code: 0, out: expect.stringContaining('Usage: dovetail db <command> --config <module>') })
    expect(help.out).toContain('migration:create')
  })

  it('hands the component the config it found, app.ts by default, when --config is not given', async () => {
    const project = join(tmp, 'db-default')
    mkdirSync(project)
    writeFileSync(join(project, 'app.ts'), "import { defineConfig } from 'dovetailjs'\nexport default defineConfig({ components: { orm: { use: 'mikro-orm', options: { url: ':memory:' } } } })\n")
    const status = await cli(['db', 'migration:status'], project)
    expect(status).toMatchObject({ code: 0, err: '' })
  })

  it('is refused, listing what the config offers, when no component of the config adds it', async () => {
    writeFileSync(join(tmp, 'no-orm.ts'), "import { defineConfig } from 'dovetailjs'\nexport default defineConfig({})\n")
    expect(await cli(['db', 'migrate', '--config', 'no-orm.ts'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown command 'db'. Commands: new, info, check, routes, explain, start, dev, shell, generate.") })
  })

  it('runs a command a third-party component adds, with the arguments after its name', async () => {
    writeFileSync(
      join(tmp, 'greeter.ts'),
      `import { defineComponent, defineConfig } from 'dovetailjs'
const greeter = defineComponent({
  name: 'acme/greeter', slot: 'middleware', contract: '^1.0',
  middleware: () => (_ctx, next) => next(),
  commands: { greet: { summary: 'say hello', run: async (argv, io) => { io.out(\`hello \${argv[0]} from \${io.program}\`); return 0 } } },
})
export default defineConfig({ components: { middleware: [greeter()] } })
`,
    )
    expect(await cli(['greet', 'ada', '--config', 'greeter.ts'])).toEqual({ code: 0, out: 'hello ada from dovetail greet', err: '' })
  })
})

describe('the dovetail command', () => {
  it('prints its version and help', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, out: ownManifest.version, err: '' })
    const help = await cli(['--help'])
    expect(help.code).toBe(0)
    for (const command of ['new <dir>', 'info', 'check', 'routes', 'explain <method> <url>', 'start', 'dev', 'shell', 'db <command>']) expect(help.out).toContain(command)
    for (const command of ['new', 'info', 'check', 'routes', 'explain', 'start', 'dev', 'shell']) {
      const own = await cli([command, '--help'])
      expect(own.code).toBe(0)
      expect(own.out).toContain(`Usage: dovetail ${command}`)
    }
  })

  it('refuses no command, an unknown one, an unknown option', async () => {
    expect(await cli([])).toMatchObject({ code: 2, err: expect.stringContaining('Usage: dovetail <command>') })
    expect(await cli(['serve'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown command 'serve'. Commands: new, info, check, routes, explain, start, dev, shell, generate, and those the components of a project's config add (db, from an orm component); there is no config at") })
    expect(await cli(['--verbose'])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--verbose'") })
  })

  it('stops quietly with 0 when the reader of its output goes away (| head)', async () => {
    const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'core/cli/bin.ts'), 'new', '--help'], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] })
    // Closed before the command writes: every write fails with EPIPE.
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const [code] = (await once(child, 'exit')) as [number]
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  })

  it('colours its marks only when told the output is a terminal', async () => {
    writeFileSync(join(tmp, 'no-router.ts'), 'export default { components: { router: false } }\n')
    const plain = await cli(['check', '--config', 'no-router.ts'])
    expect(plain.out).toContain('\n✗ slots: ')
    expect(plain.out).not.toContain('\u001b[')
    const lines: string[] = []
    await main(['check', '--config', 'no-router.ts'], { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd: tmp, color: true })
    expect(lines.join('\n')).toContain('\n\u001b[31m✗\u001b[39m slots: ')
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
