import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface WrkOptions {
  /** Seconds. */
  duration: number
  /** @default 64 */
  connections?: number
  /** @default 1 */
  threads?: number
  /** Seconds a response may take before wrk counts a timeout (a socket error). @default 10 (a slow route is a figure, not a failure) */
  timeout?: number
  /** A wrk Lua script (`-s`), e.g. one that sends a POST with a cookie and a form. */
  script?: string
}

export interface WrkResult {
  requests: number
  seconds: number
  requestsPerSecond: number
  /** Responses outside 2xx/3xx, and socket errors of any kind: a run with either is not a measurement. */
  non2xx: number
  socketErrors: number
}

/**
 * Load one URL with wrk (Debian's /usr/bin/wrk) and read its summary.
 *
 * @example
 * const result = await runWrk('http://127.0.0.1:3000/plaintext', { duration: 5 })
 */
export async function runWrk(url: string, options: WrkOptions): Promise<WrkResult> {
  const args = [`-t${options.threads ?? 1}`, `-c${options.connections ?? 64}`, `-d${options.duration}s`, '--timeout', `${options.timeout ?? 10}s`, ...(options.script ? ['-s', options.script] : []), url]
  let stdout: string
  try {
    ;({ stdout } = await run('wrk', args, { timeout: (options.duration + 30) * 1000 }))
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    if (e.code === 'ENOENT') throw new Error('wrk is not installed: `apt-get install wrk` (Debian) puts it at /usr/bin/wrk.')
    throw error
  }
  return parseWrk(stdout)
}

/** Read wrk's text summary: `N requests in Xs`, `Non-2xx or 3xx responses: N`, `Socket errors: ...`. */
export function parseWrk(stdout: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)\b/.exec(stdout)
  if (!total) throw new Error(`Could not read wrk's output:\n${stdout}`)
  const unit = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[total[3] as 'us' | 'ms' | 's' | 'm']
  const requests = Number(total[1])
  const seconds = Number(total[2]) * unit
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout)
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0
  return { requests, seconds, requestsPerSecond: requests / seconds, non2xx, socketErrors }
}

let scripts = 0
/**
 * A wrk Lua script in `dir` that sends one fixed request (method, headers,
 * body) on every connection; returns its path.
 */
export function wrkScript(dir: string, request: { method?: string; headers?: Record<string, string>; body?: string }): string {
  const lua = (value: string) => JSON.stringify(value) // a JSON string literal is a valid Lua string literal for these values
  const lines = [`wrk.method = ${lua(request.method ?? 'GET')}`]
  if (request.body !== undefined) lines.push(`wrk.body = ${lua(request.body)}`)
  for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`wrk.headers[${lua(name)}] = ${lua(value)}`)
  const file = join(dir, `wrk-${process.pid}-${++scripts}.lua`)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}
