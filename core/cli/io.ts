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
  /** Whether output may carry colour: only on a terminal, and not with NO_COLOR set. @default false */
  color?: boolean
}

/**
 * The process's own streams and working directory, with colour when stdout
 * is a terminal and neither `NO_COLOR` nor `TERM=dumb` says otherwise.
 *
 * @example
 * const code = await main(['info'], processIo())
 */
export const processIo = (): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
})

/**
 * Red and green for a marker, on a terminal only: text piped to a file or
 * another program stays plain.
 *
 * @example
 * io.out(paint(io).red('✗') + ' router')
 */
export const paint = (io: CliIo) => {
  const wrap = (code: number) => (text: string) => (io.color ? `\u001b[${code}m${text}\u001b[39m` : text)
  return { red: wrap(31), green: wrap(32), dim: (text: string) => (io.color ? `\u001b[2m${text}\u001b[22m` : text) }
}
