import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from 'dovetailjs'
import { fakeApp } from '../../test/discovery/fake-packages.js'
import { compiledCheckout } from '../../test/support/compiled.js'
import { parseFields } from './generate/fields.js'
import { resourceNames } from './generate/names.js'
import { main } from './index.js'

/*
 * `dovetail generate resource` into projects `dovetail new` made (api: JSON;
 * fullstack with eta, and with nunjucks: pages with CSRF). Each project then
 * gets the wiring the command prints, and runs as a user's would: its
 * `vitest run` (the scaffold's tests and the generated ones) against this
 * checkout compiled as the installed package, and `tsc` with dovetailjs's
 * types from the sources. Each project's tests and typecheck take 10-30 s on
 * a busy 2-core machine.
 */

const repo = fileURLToPath(new URL('../..', import.meta.url))
const run = promisify(execFile)
let tmp: string

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), cwd })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dovetail-generate-'))
})

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A project with its node_modules: this checkout's packages, and dovetailjs as this checkout compiled, as an install has it. */
async function install(project: string): Promise<void> {
  mkdirSync(join(project, 'node_modules'))
  for (const entry of readdirSync(join(repo, 'node_modules'))) symlinkSync(join(repo, 'node_modules', entry), join(project, 'node_modules', entry))
  symlinkSync(await compiledCheckout(), join(project, 'node_modules', 'dovetailjs'), 'dir')
  // tsc reads dovetailjs's types from the sources: the compiled copy has none.
  writeFileSync(
    join(project, 'tsconfig.check.json'),
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: {
        paths: {
          dovetailjs: [join(repo, 'core/index.ts')],
          'dovetailjs/testing': [join(repo, 'core/testing/index.ts')],
          'dovetailjs/testing/conformance': [join(repo, 'core/testing/conformance/index.ts')],
          'dovetailjs/components/*': [join(repo, 'components/*/index.ts')],
        },
      },
    }),
  )
}

/** Apply the wiring `generate` printed, as a user would by hand. */
function wire(project: string, output: string): void {
  const edit = (file: string, change: (text: string) => string) => writeFileSync(join(project, file), change(readFileSync(join(project, file), 'utf8')))
  const entity = /database\.ts: import \{ (\w+) \} from '(\S+)'/.exec(output)!
  edit('database.ts', (text) => `import { ${entity[1]} } from '${entity[2]}'\n${text.replace('entities: [Note]', `entities: [Note, ${entity[1]}]`)}`)
  const migration = /migrations\/index\.ts: import \{ (\w+) \} from '(\S+)'/.exec(output)!
  edit('migrations/index.ts', (text) => `import { ${migration[1]} } from '${migration[2]}'\n${text.replace(/export const migrations = \[(\w+)\]/, `export const migrations = [$1, ${migration[1]}]`)}`)
  const routes = /app\.ts: import \{ (\w+) \} from '(\S+)', and call/.exec(output)!
  edit('app.ts', (text) => `import { ${routes[1]} } from '${routes[2]}'\n${text.replace('  routes(r) {\n', `  routes(r) {\n    ${routes[1]}(r)\n`)}`)
}

describe('dovetail generate', () => {
  it.each([
    { project: 'shelf', preset: ['--preset', 'api'], args: ['book', '--fields', 'title,pages:integer,inPrint:boolean'], files: ['books.ts', 'test/books.test.ts'], style: 'JSON routes', scaffoldTests: ['test/app.test.ts', 'test/openapi.test.ts'] },
    {
      project: 'journal',
      preset: ['--preset', 'fullstack'],
      args: ['blog-post', '--fields', 'title:string,body:text,draft:boolean'],
      files: ['blog-posts.ts', 'test/blog-posts.test.ts', 'views/blog-posts/index.eta', 'views/blog-posts/show.eta'],
      style: 'pages (eta)',
    },
    {
      project: 'pantry',
      preset: ['--preset', 'fullstack', '--template', 'nunjucks'],
      args: ['category', '--fields', 'label,rank:integer'],
      files: ['categories.ts', 'test/categories.test.ts', 'views/categories/index.njk', 'views/categories/show.njk'],
      style: 'pages (nunjucks)',
    },
  ])('writes $project a resource whose tests pass and which typechecks once wired in', async ({ project: name, preset, args, files, style, scaffoldTests }) => {
    expect((await cli(['new', name, ...preset], tmp)).code).toBe(0)
    const project = join(tmp, name)
    const made = await cli(['generate', 'resource', ...args], project)
    expect(made).toMatchObject({ code: 0, err: '' })
    const lines = made.out.split('\n')
    expect(lines[0]).toContain(`${style} under /`)
    for (const file of files) expect(lines, file).toContain(`  ${file}`)
    const migration = lines.find((l) => /^ {2}migrations\/Migration\d{14}_\w+\.ts$/.test(l))
    expect(migration).toBeDefined()
    expect(lines.slice(-8)).toEqual([
      '',
      'Next, wire it into the app:',
      expect.stringMatching(/^ {2}database\.ts: import \{ \w+ \} from '\.\/[\w-]+\.js', and add \w+ to the entities$/),
      expect.stringMatching(/^ {2}migrations\/index\.ts: import \{ Migration\d{14}_\w+ \} from '\.\/Migration\d{14}_\w+\.js', and add it to the list$/),
      expect.stringMatching(/^ {2}app\.ts: import \{ \w+Routes \} from '\.\/[\w-]+\.js', and call \w+Routes\(r\) in routes\(r\)$/),
      'Then:',
      '  npm run db:migrate',
      '  npm test',
    ])

    wire(project, made.out)
    await install(project)
    const tests = await run(join(project, 'node_modules/.bin/vitest'), ['run', '--reporter=json', '--outputFile=report.json'], { cwd: project, env: { ...process.env, NODE_ENV: 'test', VITEST: undefined } }).then(
      () => '',
      (error: { stdout: string; stderr: string }) => `${error.stdout}\n${error.stderr}`,
    )
    const report = JSON.parse(readFileSync(join(project, 'report.json'), 'utf8')) as { numTotalTests: number; numPassedTests: number; testResults: Array<{ name: string }> }
    expect({ passed: report.numPassedTests, output: tests }).toEqual({ passed: report.numTotalTests, output: '' })
    expect(report.testResults.map((r) => r.name.slice(project.length + 1)).sort()).toEqual([...(scaffoldTests ?? ['test/app.test.ts']), files[1]].sort())
    const typecheck = await run(join(project, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.check.json', '--noEmit'], { cwd: project }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    )
    expect(typecheck).toBe('')
  }, 180_000)

  it('refuses to overwrite, naming the files, and writes nothing', async () => {
    expect((await cli(['new', 'twice', '--preset', 'api'], tmp)).code).toBe(0)
    const project = join(tmp, 'twice')
    expect((await cli(['generate', 'resource', 'book'], project)).code).toBe(0)
    const again = await cli(['generate', 'resource', 'book', '--json'], project)
    expect(again.code).toBe(2)
    expect(again.err).toContain('Not written: books.ts, migrations/Migration')
    expect(readdirSync(join(project, 'migrations')).filter((f) => f.endsWith('_books.ts'))).toHaveLength(1)
  })

  it('refuses a project without a database or without the body middleware, and bad names and fields', async () => {
    expect((await cli(['new', 'plain'], tmp)).code).toBe(0)
    const plain = join(tmp, 'plain')
    expect(await cli(['generate', 'resource', 'book'], plain)).toMatchObject({ code: 2, err: expect.stringContaining('app.ts has no orm component: a resource is stored in the database.') })
    writeFileSync(join(plain, 'no-body.ts'), "export default { preset: 'api', components: { middleware: { remove: ['body'] } } }\n")
    expect(await cli(['generate', 'resource', 'book', '--config', 'no-body.ts'], plain)).toMatchObject({ code: 2, err: expect.stringContaining('no-body.ts has no body middleware') })
    writeFileSync(join(plain, 'on-kysely.ts'), "export default { preset: 'api', components: { orm: { use: 'kysely', options: { url: ':memory:' } } } }\n")
    expect(await cli(['generate', 'resource', 'book', '--config', 'on-kysely.ts'], plain)).toMatchObject({ code: 2, err: expect.stringContaining("generate resource writes MikroORM code (an entity, a migration, routes on Em), but on-kysely.ts's orm component is") })
    expect(await cli(['generate', 'widget', 'x'], plain)).toMatchObject({ code: 2, err: expect.stringContaining("Unknown kind 'widget'. dovetail generate makes: resource, component.") })
    expect(await cli(['generate', 'resource', 'my book'], plain)).toMatchObject({ code: 2, err: expect.stringContaining("The name 'my book' is not a name") })
    expect(await cli(['generate', 'resource', 'book', '--fields', 'title:date'], plain)).toMatchObject({ code: 2, err: expect.stringContaining("'date' (of title) is not a field type. Types: string, text, integer, boolean.") })
    expect(existsSync(join(plain, 'books.ts'))).toBe(false)
  })

  it('writes a middleware component package whose kit and tests pass, which typechecks, and which an app finds by its declaration', async () => {
    const made = await cli(['generate', 'component', '@acme/dovetail-stamp'], tmp)
    expect(made).toMatchObject({ code: 0, err: '' })
    expect(made.out.split('\n')).toEqual([
      "Created dovetail-stamp: the package @acme/dovetail-stamp, a middleware component named 'stamp' in an app's config.",
      '  .gitignore',
      '  package.json',
      '  README.md',
      '  src/component.ts',
      '  src/errors.ts',
      '  src/index.ts',
      '  test/conformance.test.ts',
      '  test/stamp.test.ts',
      '  tsconfig.build.json',
      '  tsconfig.json',
      '',
      'Next:',
      '  cd dovetail-stamp',
      '  npm install',
      '  npm test',
    ])
    const pkg = join(tmp, 'dovetail-stamp')
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { dovetail: unknown; peerDependencies: unknown }
    expect(manifest.dovetail).toEqual({ components: [{ slot: 'middleware', name: 'stamp', entry: '.', contract: '^1.0', description: 'stamp: sets the x-stamp response header' }] })
    expect(manifest.peerDependencies).toEqual({ dovetailjs: expect.stringMatching(/^\^\d+\.\d+\.\d+$/) })

    await install(pkg)
    const tests = await run(join(pkg, 'node_modules/.bin/vitest'), ['run', '--reporter=json', '--outputFile=report.json'], { cwd: pkg, env: { ...process.env, VITEST: undefined } }).then(
      () => '',
      (error: { stdout: string; stderr: string }) => `${error.stdout}\n${error.stderr}`,
    )
    const report = JSON.parse(readFileSync(join(pkg, 'report.json'), 'utf8')) as { numTotalTests: number; numPassedTests: number; testResults: Array<{ name: string; assertionResults: unknown[] }> }
    expect(report.testResults.map((r) => [r.name.slice(pkg.length + 1), r.assertionResults.length > 1]).sort()).toEqual([
      ['test/conformance.test.ts', true],
      ['test/stamp.test.ts', true],
    ])
    expect({ passed: report.numPassedTests, output: tests }).toEqual({ passed: report.numTotalTests, output: '' })
    const typecheck = await run(join(pkg, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.check.json', '--noEmit'], { cwd: pkg }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    )
    expect(typecheck).toBe('')

    // Built as npm run build would (esbuild here: the compiled dovetailjs has no types for tsc), then found by an app.
    const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))('esbuild') as { build(o: object): Promise<unknown> }
    await esbuild.build({ entryPoints: ['component', 'errors', 'index'].map((f) => join(pkg, 'src', `${f}.ts`)), outdir: join(pkg, 'dist'), format: 'esm', platform: 'node', logLevel: 'silent' })
    const app = fakeApp(['@acme/dovetail-stamp'], [])
    mkdirSync(join(app, 'node_modules', '@acme'), { recursive: true })
    symlinkSync(pkg, join(app, 'node_modules', '@acme', 'dovetail-stamp'), 'dir')
    const built = await createApp({ root: app, components: { middleware: [{ use: 'stamp', options: { value: 'found' } }] }, routes: (r) => r.get('/', (ctx) => ctx.text('home')) })
    try {
      expect((await built.fetch(new Request('http://localhost/'))).headers.get('x-stamp')).toBe('found')
    } finally {
      await built.close()
      rmSync(app, { recursive: true, force: true })
    }
  }, 180_000)

  it('refuses a component package name npm would refuse, another slot for now, and a folder that is not empty', async () => {
    expect(await cli(['generate', 'component', 'Dovetail Stamp'], tmp)).toMatchObject({ code: 2, err: expect.stringContaining("'Dovetail Stamp' is not an npm package name") })
    expect(await cli(['generate', 'component', 'dovetail-views', '--slot', 'template'], tmp)).toMatchObject({ code: 2, err: expect.stringContaining('generate component writes middleware packages for now, not template') })
    mkdirSync(join(tmp, 'taken'))
    writeFileSync(join(tmp, 'taken', 'keep.txt'), 'mine')
    expect(await cli(['generate', 'component', 'taken'], tmp)).toMatchObject({ code: 2, err: expect.stringContaining('exists and is not empty') })
    expect(readdirSync(join(tmp, 'taken'))).toEqual(['keep.txt'])
  })

  it('spells the names from one word or several, with the plural by English rules unless given', () => {
    expect(resourceNames('blog-post')).toEqual({
      Singular: 'BlogPost',
      singular: 'blogPost',
      plural: 'blogPosts',
      pluralKebab: 'blog-posts',
      pluralSnake: 'blog_posts',
      table: 'blog_post',
      words: 'blog post',
      pluralWords: 'blog posts',
    })
    expect(resourceNames('BlogPost').table).toBe('blog_post')
    expect(['category', 'box', 'church', 'day', 'book'].map((w) => resourceNames(w).plural)).toEqual(['categories', 'boxes', 'churches', 'days', 'books'])
    expect(resourceNames('person', 'people').pluralKebab).toBe('people')
    expect(parseFields('publishedAt:boolean,title')).toEqual([
      { name: 'publishedAt', column: 'published_at', label: 'published at', type: 'boolean' },
      { name: 'title', column: 'title', label: 'title', type: 'string' },
    ])
  })
})
