import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runDbCli } from 'dovetailjs/components/orm/mikro-orm'
import { unlistedMigrations } from '../../components/orm/mikro-orm/migration-files.js'

// A project that lists its migrations (migrations: { list }, from migrations/index.ts), as
// `dovetail new` makes one: MikroORM then runs the list and never reads the folder, so a
// migration `migration:create` wrote is not run until someone adds it to the list. The command
// line says so when it writes one, and warns from migrate and migration:status while one is
// left out (issue: a new user's migration was silently ignored and every request then failed).

// The project's migrations import @mikro-orm/migrations, so it sits where node_modules is found.
const projects: string[] = []
afterAll(() => {
  for (const folder of projects) rmSync(folder, { recursive: true, force: true })
})

/**
 * A temporary project: `app.ts` with one entity and `migrations: { path, list }`, the list from
 * `migrations/index.ts` (empty). `listed` writes another config whose list holds the given classes.
 */
function project() {
  const root = mkdtempSync(join(import.meta.dirname, '.listed-project-'))
  projects.push(root)
  mkdirSync(join(root, 'migrations'))
  const config = (list: string, imports = '') => `import { fileURLToPath } from 'node:url'
import { defineEntity } from '@mikro-orm/core'
import { defineConfig, Logger } from 'dovetailjs'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
${imports}
const Note = defineEntity({
  name: 'ListedNote',
  tableName: 'listed_note',
  properties: (p) => ({ id: p.integer().primary().autoincrement(), body: p.string().length(200) }),
})
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
export default defineConfig({
  environment: 'test',
  register: (c) => void c.value(Logger, quiet),
  components: {
    orm: mikroOrm({
      url: fileURLToPath(new URL('./app.db', import.meta.url)),
      entities: [Note],
      migrations: { path: fileURLToPath(new URL('./migrations', import.meta.url)), list: ${list} },
    }),
  },
})
`
  writeFileSync(join(root, 'migrations', 'index.ts'), `import type { MigrationLike } from 'dovetailjs/components/orm/mikro-orm'\n\nexport const migrations: MigrationLike[] = []\n`)
  writeFileSync(join(root, 'app.ts'), config('migrations', `import { migrations } from './migrations/index.js'\n`))
  return {
    root,
    /** `dovetail db <args> --config <config>`, run in the project. */
    async db(args: string[], config = 'app.ts') {
      const out: string[] = []
      const err: string[] = []
      const code = await runDbCli([...args, '--config', config], { out: (l) => out.push(l), err: (l) => err.push(l), cwd: root, program: 'dovetail db' })
      return { code, out: out.join('\n'), err: err.join('\n') }
    },
    /** A config (a new module, as an edited one would be re-read by a new process) listing these migration classes. */
    listed(file: string, classes: string[]) {
      const imports = classes.map((c) => `import { ${c} } from './migrations/${c}.js'\n`).join('')
      writeFileSync(join(root, file), config(`[${classes.join(', ')}]`, imports))
      return file
    },
  }
}

const migrationFiles = (root: string) => readdirSync(join(root, 'migrations')).filter((f) => f !== 'index.ts')

describe('a project that lists its migrations', () => {
  it('migration:create names the class and the file to add to the list; a file named by the timestamp alone is a valid class', async () => {
    const { root, db } = project()
    const created = await db(['migration:create'])
    expect(created).toMatchObject({ code: 0, err: '' })
    const [file] = migrationFiles(root)
    // No --name: no suffix, and the file's name is its class's.
    expect(file).toMatch(/^Migration\d{14}\.ts$/)
    const className = file!.replace(/\.ts$/, '')
    expect(readFileSync(join(root, 'migrations', file!), 'utf8')).toContain(`export class ${className} extends Migration {`)
    expect(created.out.split('\n')).toEqual([
      `created: ${file}`,
      `next: add ${className} from migrations/${file} to the list your config passes as migrations.list ` +
        `(migrations/index.ts in a project made by dovetail new); until then migrate and migration:status do not see it.`,
    ])
  })

  it('migrate and migration:status warn on stderr about a migration file the list leaves out, and still succeed', async () => {
    const { root, db, listed } = project()
    expect(await db(['migration:create', '--name', 'notes'])).toMatchObject({ code: 0 })
    const [file] = migrationFiles(root)
    const className = file!.replace(/\.ts$/, '')
    const warning =
      `warning: migrations/${file} is not in the list your config passes as migrations.list, so it is not run: ` +
      `add ${className} to that list (migrations/index.ts in a project made by dovetail new).`

    // Not listed: nothing runs it, and both commands say why (index.ts, which declares no migration, is not named).
    expect(await db(['migrate'])).toEqual({ code: 0, out: 'No pending migrations.', err: warning })
    expect(await db(['migration:status'])).toEqual({ code: 0, out: 'No migrations.', err: warning })
    expect(await db(['migrate:down'])).toMatchObject({ code: 0, err: '' })

    // Listed: it runs, and nothing is left to warn about.
    const config = listed('app-listed.ts', [className])
    expect(await db(['migrate'], config)).toEqual({ code: 0, out: `migrated: ${className}`, err: '' })
    expect(await db(['migration:status'], config)).toEqual({ code: 0, out: `executed  ${className}`, err: '' })
  })

  it('refuses a --name that would not make a valid class name, writing nothing', async () => {
    const { root, db } = project()
    const refused = await db(['migration:create', '--name', 'add-email'])
    expect(refused.code).toBe(2)
    expect(refused.err).toContain("The migration name 'add-email' cannot be used")
    expect(refused.err).toContain('(say, add_email)')
    expect(refused.err).toContain('Usage: dovetail db <command>')
    expect(migrationFiles(root)).toEqual([])
    expect(existsSync(join(root, 'app.db'))).toBe(false)
  })
})

describe('unlistedMigrations', () => {
  it('finds migration classes the list leaves out, by class name or by a { name, class } entry, in .ts and compiled .js', async () => {
    const { root } = project()
    const folder = join(root, 'migrations')
    writeFileSync(join(folder, 'Migration20250101000000_a.ts'), 'export class Migration20250101000000_a extends Migration {}\n')
    writeFileSync(join(folder, 'Migration20250102000000_b.ts'), 'export class Migration20250102000000_b extends Migration {}\n')
    writeFileSync(join(folder, 'Migration20250103000000_c.js'), 'class Migration20250103000000_c extends migrations_1.Migration {}\nexports.Migration20250103000000_c = Migration20250103000000_c\n')
    writeFileSync(join(folder, 'Migration20250103000000_c.d.ts'), 'export declare class Migration20250103000000_c extends Migration {}\n')
    writeFileSync(join(folder, 'renamed.ts'), 'export class Renamed extends Migration {}\n')
    class Migration20250101000000_a {}
    class Elsewhere {}
    const list = [Migration20250101000000_a, { name: 'renamed', class: Elsewhere }] as never[]
    expect(await unlistedMigrations(folder, list)).toEqual([
      { file: join(folder, 'Migration20250102000000_b.ts'), className: 'Migration20250102000000_b' },
      { file: join(folder, 'Migration20250103000000_c.js'), className: 'Migration20250103000000_c' },
    ])
    expect(await unlistedMigrations(join(root, 'none'), [])).toEqual([])
  })
})

describe('without a list', () => {
  it('migrate warns about nothing: every file in the folder runs', async () => {
    const { root, db } = project()
    // Found in the folder, an index.ts would be taken for a migration: this project has none.
    rmSync(join(root, 'migrations', 'index.ts'))
    writeFileSync(
      join(root, 'app-path.ts'),
      readFileSync(join(root, 'app.ts'), 'utf8').replace(', list: migrations', '').replace(/^import \{ migrations \}.*$/m, ''),
    )
    expect(await db(['migration:create', '--blank', '--name', 'by_hand'], 'app-path.ts')).toMatchObject({ code: 0, err: '' })
    const [file] = migrationFiles(root)
    const created = await db(['migration:create', '--blank'], 'app-path.ts')
    expect(created.out).not.toContain('next:')
    expect(await db(['migrate'], 'app-path.ts')).toMatchObject({ code: 0, err: '' })
    expect((await db(['migration:status'], 'app-path.ts')).out).toContain(`executed  ${file!.replace(/\.ts$/, '')}`)
  })
})

describe('a list given as a loader', () => {
  /**
   * A config whose list is `() => import('./migrations/lazy.js')`, counting its calls in
   * `globalThis.listLoads` (lazy.ts, not index.ts: the process has imported index.ts already).
   */
  function lazyConfig(root: string, file: string, resolveTo = 'm.migrations') {
    const eager = readFileSync(join(root, 'app.ts'), 'utf8')
    writeFileSync(
      join(root, file),
      eager
        .replace(/^import \{ migrations \}.*$/m, '')
        .replace(
          ', list: migrations',
          `, list: () => { const g = globalThis as { listLoads?: number }; g.listLoads = (g.listLoads ?? 0) + 1; return import('./migrations/lazy.js').then((m) => ${resolveTo}) }`,
        ),
    )
    return file
  }

  it('runs the migrations the loader resolves to, and migration:status lists them', async () => {
    const { root, db } = project()
    expect(await db(['migration:create', '--name', 'notes'])).toMatchObject({ code: 0 })
    const [file] = migrationFiles(root)
    const className = file!.replace(/\.ts$/, '')
    writeFileSync(join(root, 'migrations', 'lazy.ts'), `import { ${className} } from './${className}.js'\n\nexport const migrations = [${className}]\n`)
    const config = lazyConfig(root, 'app-lazy.ts')
    expect(await db(['migrate'], config)).toEqual({ code: 0, out: `migrated: ${className}`, err: '' })
    expect(await db(['migration:status'], config)).toEqual({ code: 0, out: `executed  ${className}`, err: '' })
  })

  it('is not called when the app starts and serves requests', async () => {
    const { root } = project()
    writeFileSync(join(root, 'migrations', 'lazy.ts'), 'export const migrations = []\n')
    const { createApp } = await import('dovetailjs')
    const config = (await import(join(root, lazyConfig(root, 'app-start.ts')))).default
    const g = globalThis as { listLoads?: number }
    g.listLoads = 0
    const app = await createApp({ ...config, routes: (r: { get(path: string, h: () => Response): void }) => r.get('/', () => new Response('up')) })
    try {
      expect(await (await app.fetch(new Request('http://app.test/'))).text()).toBe('up')
      expect(g.listLoads).toBe(0)
    } finally {
      await app.close()
    }
  })

  it('stops migrate with DOVETAIL_ERR_COMPONENT_OPTIONS when the loader resolves to something that is not a list of migrations', async () => {
    const { root, db } = project()
    writeFileSync(join(root, 'migrations', 'lazy.ts'), 'export const migrations = []\n')
    const config = lazyConfig(root, 'app-bad.ts', "({ migrations: 'not a list' })")
    const result = await db(['migrate'], config)
    expect(result.code).not.toBe(0)
    expect(result.err).toContain('migrations.list() must resolve to an array of migrations')
    expect(result.err).toContain('DOVETAIL_ERR_COMPONENT_OPTIONS')
  })

  it('takes a loader that returns the list without a promise', async () => {
    const { root, db } = project()
    writeFileSync(join(root, 'migrations', 'lazy.ts'), 'export const migrations = []\n')
    const eager = readFileSync(join(root, 'app.ts'), 'utf8')
    writeFileSync(join(root, 'app-sync.ts'), eager.replace(', list: migrations', ', list: () => migrations'))
    expect(await db(['migration:status'], 'app-sync.ts')).toEqual({ code: 0, out: 'No migrations.', err: '' })
  })

  it('names migrations.list when the loader fails to import', async () => {
    const { root, db } = project()
    const eager = readFileSync(join(root, 'app.ts'), 'utf8')
    writeFileSync(join(root, 'app-missing.ts'), eager.replace(', list: migrations', ", list: () => import('./migrations/nope.js')"))
    const result = await db(['migration:status'], 'app-missing.ts')
    expect(result.code).not.toBe(0)
    expect(result.err).toContain('migrations.list() failed')
    expect(result.err).toContain('nope.js')
  })
})
