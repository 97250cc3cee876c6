import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url))

export interface WikiProcess {
  /** Where it listens, as printed by server.ts. */
  url: string
  /** Everything it wrote so far. */
  output(): string
  /** SIGTERM, and wait for it to exit. */
  stop(): Promise<number | null>
}

/**
 * Run `server.ts` (what `npm start` runs) as a real process, from the
 * repository root, with `env` on top of this process's environment; resolves
 * once it prints its URL. PORT defaults to 0 (any free port).
 */
export function startWiki(env: Record<string, string>): Promise<WikiProcess> {
  const child: ChildProcess = spawn(tsx, ['docs/examples/wiki/server.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    return exited
  }
  return new Promise((resolve, reject) => {
    // 3x the slowest start measured with one core busy on the shared 2-core machine (13 s), and less than
    // the budgets of the tests that start it, so a start that hangs fails with its output.
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`the wiki did not start within 40 s. Its output:\n${output}`))
    }, 40_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const url = /Dovetail Wiki on (http:\/\/\S+)/.exec(output)?.[1]
      if (url) {
        clearTimeout(timer)
        resolve({ url, output: () => output, stop })
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the wiki exited (code ${code}) before it listened. Its output:\n${output}`))
    })
  })
}
