import { token } from '../container/token.js'

type LogFn = {
  (message: string): void
  (fields: object, message?: string): void
}

/**
 * The logger slot's contract (version 1): a subset of pino's API, so pino
 * satisfies it as it is.
 */
export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  child(bindings: Record<string, unknown>): Logger
}

export const Logger = token<Logger>('Logger')

/**
 * Used when no component fills the logger slot, so that errors are never
 * swallowed: writes JSON lines to stderr (warn and error) and stdout.
 */
export function consoleLogger(bindings: Record<string, unknown> = {}, level: 'debug' | 'info' = 'info'): Logger {
  const write = (name: string, stream: NodeJS.WriteStream) => (a: string | object, b?: string) => {
    const fields = typeof a === 'string' ? { msg: a } : { ...serialize(a), ...(b === undefined ? {} : { msg: b }) }
    stream.write(`${toJson({ level: name, time: Date.now(), ...bindings, ...fields })}\n`)
  }
  const noop = () => {}
  return {
    debug: level === 'debug' ? write('debug', process.stdout) : noop,
    info: write('info', process.stdout),
    warn: write('warn', process.stderr),
    error: write('error', process.stderr),
    child: (more) => consoleLogger({ ...bindings, ...more }, level),
  }
}

function serialize(fields: object): object {
  const err = (fields as { err?: unknown }).err
  if (!(err instanceof Error)) return fields
  return { ...fields, err: { type: err.name, message: err.message, stack: err.stack } }
}

/**
 * JSON for one line, even of data JSON cannot hold as is: a logger that threw
 * while the app reports an error would hide the error. Repeated objects
 * (circular ones among them) become `'[Circular]'`, bigints their digits.
 */
function toJson(record: object): string {
  try {
    return JSON.stringify(record)
  } catch {
    const seen = new WeakSet<object>()
    return JSON.stringify(record, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString()
      if (typeof value !== 'object' || value === null) return value
      if (seen.has(value)) return '[Circular]'
      seen.add(value)
      return value
    })
  }
}
