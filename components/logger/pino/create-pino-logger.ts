import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { pino, type DestinationStream, type Level } from 'pino'
import type { Logger } from '../../../core/index.js'

/** Where log lines go: a standard stream, a file path, or any object with `write(line)`. */
export type PinoDestination = 'stdout' | 'stderr' | string | DestinationStream

export interface PinoOptions {
  /** @default 'debug' in development, else 'info' */
  level?: Level | 'silent' | undefined
  /** Paths whose values are replaced by `[Redacted]`, e.g. `req.headers.authorization`, `*.password`. @default [] */
  redact: string[]
  /** Pretty printing is not built in: pipe the output through `pino-pretty` instead. @default false */
  pretty: false
  /** @default 'stdout' */
  destination: PinoDestination
  /** Fields added to every line. @default {} */
  base: Record<string, unknown>
}

export interface PinoHandle {
  logger: Logger
  /** Flush what is buffered and close a file destination. Safe to call more than once. */
  close(): Promise<void>
}

type SonicBoom = DestinationStream & {
  flush(cb?: (err?: Error | null) => void): void
  flushSync(): void
  end(): void
  once(event: string, listener: (...args: unknown[]) => void): unknown
}

/**
 * Build a pino logger for the logger slot.
 *
 * Files and standard streams are written through pino's own asynchronous
 * destination (sonic-boom): the request path never waits on the disk, which is
 * why `close()` must run at shutdown, to flush the buffer.
 *
 * @example
 * const { logger, close } = createPinoLogger({ redact: [], pretty: false, destination: 'logs/app.log', base: {} }, 'production')
 * logger.info({ user: 42 }, 'signed in')
 * await close()
 */
export function createPinoLogger(options: PinoOptions, environment: string): PinoHandle {
  const level = options.level ?? (environment === 'development' ? 'debug' : 'info')
  const config = {
    level,
    base: Object.keys(options.base).length ? options.base : null,
    ...(options.redact.length ? { redact: { paths: options.redact, censor: '[Redacted]' } } : {}),
  }
  const { destination } = options
  if (typeof destination !== 'string') {
    // The caller owns the stream: it is never ended here.
    return { logger: pino(config, destination), close: async () => {} }
  }
  const toFile = destination !== 'stdout' && destination !== 'stderr'
  if (toFile) mkdirSync(dirname(destination), { recursive: true })
  const stream = pino.destination({
    dest: toFile ? destination : destination === 'stdout' ? 1 : 2,
    sync: false,
  }) as unknown as SonicBoom
  let closed: Promise<void> | undefined
  const close = () => (closed ??= toFile ? endStream(stream) : flushStream(stream))
  return { logger: pino(config, stream), close }
}

/** Wait until a file destination is ready, flush it, and close its descriptor. */
function endStream(stream: SonicBoom): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('close', () => resolve())
    stream.once('error', (error) => reject(error as Error))
    stream.end()
  })
}

/** Standard streams stay open (other code writes to them too); only flush what pino buffered. */
function flushStream(stream: SonicBoom): Promise<void> {
  return new Promise((resolve) => {
    try {
      stream.flushSync()
    } catch {
      // Not ready yet or nothing to flush: sonic-boom writes as soon as the descriptor opens.
    }
    resolve()
  })
}
