import { execFile } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

export interface CompiledBench {
  /** A package folder: `package.json` (Dovetail's own), `node_modules` (linked), `dist/`. */
  dir: string
  /** The compiled form of a file under test/bench/, e.g. `servers/dovetail.ts`. */
  script(path: string): string
  remove(): void
}

/**
 * Compile Dovetail and the benchmark scripts with tsc into a temp folder laid
 * out as the published package, and run from there. `project` is the
 * tsconfig under test/bench/ that says what to compile.
 *
 * Why not tsx: tsx compiles with esbuild's keepNames, which wraps every arrow
 * function created at run time in a `__name()` call (an Object.defineProperty).
 * Per-request closures then cost more than they do in the published build,
 * which users run. Why not dist/ in the repo: `npm pack` and other checkouts'
 * builds write there; a private folder keeps runs independent.
 */
export async function compileBench(project = 'tsconfig.json'): Promise<CompiledBench> {
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-bench-'))
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', join(repoRoot, 'test', 'bench', project), '--outDir', join(dir, 'dist')], {
      cwd: repoRoot,
    })
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    const report = `tsc -p test/bench/${project}:\n${e.stdout ?? ''}${e.stderr ?? ''}`
    // tsc still writes JavaScript for code with type errors; a benchmark can run on that.
    if (!existsSync(join(dir, 'dist', 'core', 'index.js'))) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`Compiling the benchmark failed. ${report}`)
    }
    process.stderr.write(`warning: type errors while compiling the benchmark; measuring the emitted JavaScript anyway. ${report}\n`)
  }
  // The package's own name resolves through its exports (`dovetailjs` -> dist/core/index.js),
  // as it does for an installed copy; dependencies come from the repo's node_modules.
  copyFileSync(join(repoRoot, 'package.json'), join(dir, 'package.json'))
  // The presets' data, as the package ships it (presets/*/preset.json), for configs that name one.
  cpSync(join(repoRoot, 'presets'), join(dir, 'presets'), { recursive: true, filter: (path) => !path.endsWith('.ts') })
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return {
    dir,
    script: (path) => {
      const file = join(dir, 'dist', 'test', 'bench', path.replace(/\.ts$/, '.js'))
      if (!existsSync(file)) throw new Error(`The compiled benchmark has no ${path} (looked for ${file}).`)
      return file
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
