/**
 * Components stand alone, and built-ins have no privileges: a component's
 * files import its own folder, other packages, and the package's public
 * entries (what package.json "exports" names: `dovetailjs`,
 * `dovetailjs/server-kit`, `dovetailjs/template-kit`, `dovetailjs/testing`,
 * `dovetailjs/components/<slot>/<name>`, …), exactly what a third-party
 * package could import. Never another component's private files, never a core
 * file that no entry exports. And the core never imports a component.
 *
 * Importing another component's public entry is allowed, as it would be for a
 * third party: middleware/auth and middleware/csrf read the session through
 * `../session/index.js`, which is `dovetailjs/components/middleware/session`.
 *
 * The allowed entries are read from package.json "exports", so that file stays
 * the one truth about what is public.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, posix, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> }

interface PublicEntry {
  /** The subpath a user imports (`dovetailjs/server-kit`), as a pattern. */
  specifier: RegExp
  /** The source file that subpath is built from (`core/server-kit/index.ts`), as a pattern. */
  source: RegExp
}

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
// "*" in an exports key or target matches any string, slashes included (Node's rule).
const pattern = (text: string) => new RegExp(`^${text.split('*').map(escape).join('(.+)')}$`)

function publicEntries(exports: Record<string, unknown>): PublicEntry[] {
  return Object.entries(exports).map(([key, target]) => {
    const file = typeof target === 'string' ? target : (target as { import: string }).import
    // The build maps <source>.ts to dist/<source>.js (tsconfig.build.json: rootDir ".", outDir "dist").
    const source = file.replace(/^\.\//, '').replace(/^dist\//, '').replace(/\.js$/, '.ts')
    return { specifier: pattern(packageJson.name + key.slice(1)), source: pattern(source) }
  })
}

const entries = publicEntries(packageJson.exports)

/** Every module specifier a file imports or re-exports, dynamic imports included; comments are not read. */
const importsOf = (source: string): string[] => ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName)

const toPosix = (path: string) => path.split(sep).join('/')

/** The repository path a relative specifier of `file` names, with `.js` read as the `.ts` it is built from. */
const target = (file: string, specifier: string): string =>
  posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts')

/** `components/<slot>/<name>/` for a file under components/. */
const componentFolder = (file: string): string => file.split('/').slice(0, 3).join('/') + '/'

/**
 * Why `specifier`, imported by the component file `file` (a repository path),
 * breaks the rule, or undefined when it does not.
 */
function componentImportProblem(file: string, specifier: string, exists = (path: string) => existsSync(join(root, path))): string | undefined {
  if (specifier.startsWith('.')) {
    const path = target(file, specifier)
    if (path.startsWith(componentFolder(file))) return undefined
    if (entries.some((entry) => entry.source.test(path)) && exists(path)) return undefined
    return `${file} imports '${specifier}' (${path}), which is neither its own file nor a public entry of package.json "exports"`
  }
  if (specifier === packageJson.name || specifier.startsWith(`${packageJson.name}/`)) {
    if (entries.some((entry) => entry.specifier.test(specifier))) return undefined
    return `${file} imports '${specifier}', which package.json "exports" does not name`
  }
  // Another package (node:*, zod, eta, …): not ours to judge.
  return undefined
}

/** Why `specifier`, imported by the core file `file`, reaches into components/, or undefined. */
function coreImportProblem(file: string, specifier: string): string | undefined {
  const reachesComponents = specifier.startsWith('.')
    ? target(file, specifier).startsWith('components/')
    : specifier.startsWith(`${packageJson.name}/components/`)
  return reachesComponents ? `${file} imports '${specifier}': the core must not depend on a component` : undefined
}

function typescriptFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .map((path) => toPosix(join(folder, path)))
    .filter((path) => path.endsWith('.ts') && !path.includes('/node_modules/'))
}

const problems = (files: string[], check: (file: string, specifier: string) => string | undefined): string[] =>
  files.flatMap((file) => importsOf(readFileSync(join(root, file), 'utf8')).map((specifier) => check(file, specifier))).filter((p): p is string => p !== undefined)

describe('components stand alone', () => {
  it('reads the public entries from package.json "exports", the kits among them', () => {
    const sources = ['core/index.ts', 'core/server-kit/index.ts', 'core/template-kit/index.ts', 'components/server/cgi/index.ts']
    for (const source of sources) expect(entries.some((entry) => entry.source.test(source)), source).toBe(true)
    expect(entries.some((entry) => entry.source.test('core/gateway/vary.ts'))).toBe(false)
  })

  it('no component imports another component\'s files, or a core file no entry exports', () => {
    const files = typescriptFiles('components').filter((path) => !path.endsWith('.test.ts'))
    expect(files.length).toBeGreaterThan(50)
    expect(problems(files, componentImportProblem)).toEqual([])
  })

  it('the core imports no component', () => {
    const files = typescriptFiles('core')
    expect(files.length).toBeGreaterThan(50)
    expect(problems(files, coreImportProblem)).toEqual([])
  })

  it('would catch each kind of breach', () => {
    const all = () => true
    const fastcgi = 'components/server/fastcgi/fastcgi-connection.ts'
    expect(componentImportProblem(fastcgi, './records.js', all)).toBeUndefined()
    expect(componentImportProblem(fastcgi, '../../../core/server-kit/index.js', all)).toBeUndefined()
    expect(componentImportProblem(fastcgi, '../../../core/index.js', all)).toBeUndefined()
    expect(componentImportProblem(fastcgi, 'node:net', all)).toBeUndefined()
    expect(componentImportProblem(fastcgi, '../cgi/serve-cgi.js', all)).toMatch(/components\/server\/cgi\/serve-cgi\.ts/)
    expect(componentImportProblem(fastcgi, '../../../core/server-kit/hangup.js', all)).toMatch(/neither its own file nor a public entry/)
    expect(componentImportProblem(fastcgi, 'dovetailjs/server-kit', all)).toBeUndefined()
    expect(componentImportProblem(fastcgi, 'dovetailjs/core/server-kit/hangup', all)).toMatch(/does not name/)
    const auth = 'components/middleware/auth/auth-runtime.ts'
    expect(componentImportProblem(auth, '../session/index.js', all)).toBeUndefined()
    expect(componentImportProblem(auth, '../session/request-session.js', all)).toMatch(/neither its own file/)
    expect(coreImportProblem('core/context/context.ts', '../../components/template/eta/index.js')).toMatch(/must not depend/)
    expect(coreImportProblem('core/context/context.ts', 'dovetailjs/components/template/eta')).toMatch(/must not depend/)
    expect(coreImportProblem('core/context/context.ts', '../slots/template.js')).toBeUndefined()
  })
})
