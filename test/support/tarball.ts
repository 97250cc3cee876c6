/**
 * The package as users get it: `npm pack`'s tarball, and projects installed
 * from it with nothing aliased to the sources.
 *
 * The tarball is packed once per content of the files that go into it, and
 * kept in node_modules/.cache/dovetail-pack/<hash>.tgz, so every test file
 * (and every run until those files change) shares one pack; a lock directory
 * beside it makes parallel callers wait for the one packing. The pack runs on
 * a copy of those files (node_modules linked), so the checkout never gets a
 * dist/ or a .tgz and a build running elsewhere in it cannot race with this one.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('../../', import.meta.url))
const cacheDir = join(repo, 'node_modules', '.cache', 'dovetail-pack')

/**
 * The environment a user's shell would give a command: this process's, less
 * what npm (`npm_*`, which `npm test` sets for the repository) and vitest
 * (`VITEST*`, `NODE_ENV=test`) put there for the repository's own run.
 *
 * @example
 * await run('npm', ['test'], { cwd: project, env: userEnv({ DATABASE_URL: url }) })
 */
export function userEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const own = Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'TEST')
  return { ...Object.fromEntries(own), ...extra }
}

/**
 * Run npm as a user would (see {@link userEnv}); a failure throws with npm's
 * output. Returns stdout.
 *
 * @example
 * await npm(['run', 'build'], project)
 */
export async function npm(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<string> {
  try {
    const { stdout } = await run('npm', [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 })
    return stdout
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`)
  }
}

/** The files that make the tarball: what git would commit, less tests and docs (which are not packed). */
async function packedSources(): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, maxBuffer: 64 * 1024 * 1024 })
  return stdout
    .split('\0')
    .filter((file) => file && !/^(test|docs|\.ci)\//.test(file) && !isRepoTest(file) && existsSync(join(repo, file)))
    .sort()
}

/** A test of this repository; a scaffold's tests are part of the package. */
const isRepoTest = (file: string): boolean => /\.test\.ts$/.test(file) && !/^presets\/[^/]+\/scaffold\//.test(file)

function contentHash(files: readonly string[]): string {
  const hash = createHash('sha256')
  // The lock file too: another TypeScript or dependency changes what is built.
  for (const file of [...files, 'package-lock.json']) hash.update(`${file}\0`).update(readIfThere(join(repo, file))).update('\0')
  return hash.digest('hex').slice(0, 16)
}

/** A file's bytes, or none if it went away since it was listed (another test's temporary file, say). */
function readIfThere(path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0)
    throw error
  }
}

let packing: Promise<string> | undefined

/**
 * The path of `npm pack`'s tarball of this checkout (its prepack step builds
 * dist/), packed at most once per content. Safe to call from any number of
 * test files at once.
 *
 * @example
 * const tgz = await packedTarball()
 * await npm(['install', tgz], consumer)
 */
export function packedTarball(): Promise<string> {
  packing ??= packOnce()
  return packing
}

async function packOnce(): Promise<string> {
  const files = await packedSources()
  const tarball = join(cacheDir, `${contentHash(files)}.tgz`)
  if (existsSync(tarball)) return tarball
  mkdirSync(cacheDir, { recursive: true })
  const lock = `${tarball}.lock`
  await acquire(lock)
  try {
    // Someone else may have packed it while this one waited.
    if (!existsSync(tarball)) await pack(files, tarball)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
  prune(tarball)
  return tarball
}

async function pack(files: readonly string[], tarball: string): Promise<void> {
  const temp = mkdtempSync(join(tmpdir(), 'dovetail-pack-'))
  try {
    const stage = join(temp, 'stage')
    for (const file of files) {
      if (!existsSync(join(repo, file))) continue
      mkdirSync(dirname(join(stage, file)), { recursive: true })
      cpSync(join(repo, file), join(stage, file))
    }
    symlinkSync(join(repo, 'node_modules'), join(stage, 'node_modules'), 'dir')
    const out = join(temp, 'out')
    mkdirSync(out)
    const [packed] = JSON.parse(await npm(['pack', '--json', '--pack-destination', out], stage)) as [{ filename: string }]
    // Copied beside its final name, then renamed: a reader never sees half a tarball.
    copyFileSync(join(out, packed.filename), `${tarball}.partial`)
    renameSync(`${tarball}.partial`, tarball)
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

/** Take the lock directory, waiting while a live process holds it; a dead holder's lock is broken. */
async function acquire(lock: string): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lock)
      writeFileSync(join(lock, 'pid'), String(process.pid))
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    if (!holderAlive(lock)) rmSync(lock, { recursive: true, force: true })
    else await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

function holderAlive(lock: string): boolean {
  let pid: number
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'))
  } catch {
    // Made but not yet written: give the holder a moment, unless that moment is long past.
    return Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs < 10_000
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Drop tarballs of older contents, once they are an hour old (a run started before a change may still be installing one). */
function prune(keep: string): void {
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name)
    if (path === keep || !name.endsWith('.tgz')) continue
    if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true })
  }
}

/**
 * Install a project's dependencies as a user would, with dovetailjs from
 * {@link packedTarball} and any other tarballs given (a third-party
 * component's, say): `npm install <tarballs…> --prefer-offline --no-audit
 * --no-fund` in `dir`, in {@link userEnv}. The project's package.json must
 * exist; npm records the tarballs in it as `file:` dependencies.
 *
 * @example
 * await installProject(project)
 * await installProject(consumer, [await packComponent()])
 */
export async function installProject(dir: string, extraTarballs: readonly string[] = []): Promise<void> {
  await npm(['install', await packedTarball(), ...extraTarballs, '--prefer-offline', '--no-audit', '--no-fund'], dir)
}
