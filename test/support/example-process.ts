import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const running: ChildProcess[] = []

export interface ExampleProcess {
  /** The first capture group of `listening` in the example's output (its URL or port). */
  listening: string
  child: ChildProcess
  exited: Promise<number | null>
}

/**
 * Run a docs example (a path from the repo root) with tsx as its own process on a free port
 * (PORT=0, production); resolve once its output matches `listening`, reject if it exits first.
 */
export function startExample(path: string, listening: RegExp): Promise<ExampleProcess> {
  // node with tsx's loader rather than the tsx command: the command relays signals to a second node
  // process and SIGKILLs it when that process has not confirmed a signal within 30 ms, which on a busy
  // machine turns a graceful SIGTERM into a kill (exit 143).
  const child = spawn(process.execPath, ['--import', 'tsx', path], { cwd: root, env: { ...process.env, PORT: '0', NODE_ENV: 'production' } })
  running.push(child)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk
      const found = listening.exec(output)?.[1]
      if (found) resolve({ listening: found, child, exited })
    })
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
    child.once('exit', (code) => reject(new Error(`${path} exited (${code}) before listening:\n${output}`)))
  })
}

/** Kill every example still running (for afterEach). */
export function killExamples(): void {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
}
