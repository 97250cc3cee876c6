/**
 * This checkout compiled to JavaScript, laid out as the published package:
 * package.json, each preset's preset.json, and dist/core, dist/components and
 * dist/test/support, one .js per .ts (no bundle, so discovery imports the
 * built-ins through the package's export subpaths as in an install).
 *
 * For programs a test starts again and again, above all the CGI entry under
 * lighttpd (one process per request): under tsx each start also starts
 * esbuild and transforms every import, which on the 2-core CI machine cost
 * 0.75 s of CPU per request against 0.3 s for `node` on the compiled file,
 * and the 12 CGI cases timed out when the other core was busy.
 *
 * Compiled once per content of the sources, into
 * node_modules/.cache/dovetail-compiled/<hash>/, so every test file of a run
 * (and every later run until a source changes) shares one compile, about
 * 1.5 s under load. Packages resolve from the checkout's node_modules, which
 * Node finds by walking up from there.
 */
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const cacheDir = join(repo, 'node_modules', '.cache', 'dovetail-compiled')
const sourceDirs = ['core', 'components', 'test/support']

/** The part of esbuild's API used here (esbuild comes with tsx, so it is always installed with it). */
interface Esbuild {
  version: string
  build(options: Record<string, unknown>): Promise<unknown>
  stop(): void | Promise<void>
}

// Through tsx, whose dependency it is: found wherever npm put it.
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))('esbuild') as Esbuild

let compiling: Promise<string> | undefined

/**
 * The folder of the compiled checkout (its package.json is dovetailjs's): run
 * `node <folder>/dist/test/support/cgi-entry.js` with the folder as the working
 * directory. Safe to call from any number of test files at once.
 *
 * @example
 * const compiled = await compiledCheckout()
 * spawn(process.execPath, ['dist/test/support/cgi-entry.js'], { cwd: compiled })
 */
export function compiledCheckout(): Promise<string> {
  compiling ??= compileOnce()
  return compiling
}

function sources(): string[] {
  return sourceDirs
    .flatMap((dir) => readdirSync(join(repo, dir), { recursive: true, withFileTypes: true }).map((e) => ({ e, path: relative(repo, join(e.parentPath, e.name)) })))
    .filter(({ e, path }) => e.isFile() && path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('.d.ts'))
    .map(({ path }) => path)
    .sort()
}

function presetFiles(): string[] {
  return readdirSync(join(repo, 'presets'))
    .map((name) => join('presets', name, 'preset.json'))
    .filter((file) => existsSync(join(repo, file)))
    .sort()
}

async function compileOnce(): Promise<string> {
  const files = sources()
  const copied = ['package.json', ...presetFiles()]
  const hash = createHash('sha256').update(`esbuild ${esbuild.version}\0`)
  for (const file of [...files, ...copied]) hash.update(`${file}\0`).update(readFileSync(join(repo, file))).update('\0')
  const target = join(cacheDir, hash.digest('hex').slice(0, 16))
  if (existsSync(join(target, 'package.json'))) return target

  mkdirSync(cacheDir, { recursive: true })
  const temp = mkdtempSync(`${target}.partial-`)
  try {
    await esbuild.build({
      entryPoints: files.map((file) => join(repo, file)),
      outdir: join(temp, 'dist'),
      outbase: repo,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    })
    for (const file of copied) cpSync(join(repo, file), join(temp, file))
    // Renamed whole: a reader never sees half a tree. Another caller may have finished first; then its copy stays.
    try {
      renameSync(temp, target)
    } catch (error) {
      if (!existsSync(join(target, 'package.json'))) throw error
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
    await esbuild.stop()
  }
  prune(target)
  return target
}

/** Drop compiles of older contents once they are an hour old (a run started before a change may still use one). */
function prune(keep: string): void {
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name)
    if (path === keep) continue
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true })
    } catch {
      // removed by another run meanwhile
    }
  }
}
