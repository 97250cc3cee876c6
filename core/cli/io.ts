/**
 * Where the command line writes, and the directory its paths are relative to.
 * `main` takes one so tests read the output without capturing the process's
 * streams; the shape matches the orm component's `DbCliIo`, so `dovetail db`
 * hands it on as is.
 */
export interface CliIo {
  out(line: string): void
  err(line: string): void
  /** The directory paths on the command line are relative to. @default process.cwd() */
  cwd?: string
}

/**
 * The process's own streams and working directory.
 *
 * @example
 * const code = await main(['info'], processIo())
 */
export const processIo = (): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
})
