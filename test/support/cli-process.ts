import { type ChildProcess, spawn } from 'node:child_process'
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const running = new Set<ChildProcess>()

/** A `dovetail` command running as its own process, its output collected as it comes. */
export interface CliProcess {
  child: ChildProcess
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string
  /**
   * Resolves with the first match of `pattern` in the output from offset
   * `after` (default: all of it), now or later; rejects if the process exits
   * first or `ms` pass. `output().length` before an action is the offset
   * that waits for what the action prints.
   */
  waitFor(pattern: RegExp, options?: { after?: number; ms?: number }): Promise<RegExpExecArray>
  exited: Promise<number | null>
}

/**
 * Run the `dovetail` bin from this checkout's sources, under tsx, in `cwd`.
 * A project there imports `dovetailjs` as an installed app would: tsx maps
 * it to this checkout through the repository's tsconfig paths
 * (TSX_TSCONFIG_PATH), so a scratch project needs no install. Pass
 * `linkModules` to give the project this checkout's node_modules (for the
 * packages a scaffold depends on).
 *
 * @example
 * const cli = spawnCli(['start', '--port', '0'], { cwd: project })
 * const [, url] = await cli.waitFor(/serving on (\S+)/)
 */
export function spawnCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore' }): CliProcess {
  return track(
    spawn(process.execPath, [join(repo, 'node_modules/tsx/dist/cli.mjs'), join(repo, 'core/cli/bin.ts'), ...args], {
      cwd: options.cwd,
      env: { ...process.env, NODE_ENV: undefined, VITEST: undefined, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.json'), NO_COLOR: '1', ...options.env },
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    }),
  )
}

/**
 * Run the `dovetail` bin a project installed from the packed tarball, as its
 * user runs it (`npx dovetail …`): compiled, nothing mapped to the sources.
 *
 * @example
 * const dev = spawnInstalledCli(['dev', '--port', '0'], { cwd: project, env: userEnv() })
 */
export function spawnInstalledCli(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): CliProcess {
  return track(spawn(join(options.cwd, 'node_modules/.bin/dovetail'), args, { cwd: options.cwd, env: { ...options.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] }))
}

function track(child: ChildProcess): CliProcess {
  running.add(child)
  let output = ''
  const listeners = new Set<() => void>()
  const collect = (chunk: Buffer) => {
    output += chunk
    for (const listener of listeners) listener()
  }
  child.stdout!.on('data', collect)
  child.stderr!.on('data', collect)
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child)
      resolve(code)
      for (const listener of listeners) listener()
    }),
  )
  const waitFor = (pattern: RegExp, { after = 0, ms = 60_000 }: { after?: number; ms?: number } = {}) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const found = pattern.exec(output.slice(after))
        if (found) return done(() => resolve(found))
        if (child.exitCode !== null || child.signalCode !== null) done(() => reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${output}`)))
      }
      const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${output}`))), ms)
      const done = (settle: () => void) => {
        clearTimeout(timer)
        listeners.delete(check)
        settle()
      }
      listeners.add(check)
      check()
    })
  return { child, output: () => output, waitFor, exited }
}

/** Give a scratch project this checkout's node_modules, for the packages its code imports. */
export function linkModules(project: string): void {
  symlinkSync(join(repo, 'node_modules'), join(project, 'node_modules'), 'dir')
}

/** Kill every process spawnCli started and has not seen exit: for afterAll. */
export function killCliProcesses(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}
