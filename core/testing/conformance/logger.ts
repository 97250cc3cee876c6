import { describe, expect, it } from 'vitest'
import type { Logger } from '../../slots/logger.js'

/** The threshold the suite asks for: below it nothing is written. */
export type ConformanceLogLevel = 'debug' | 'info'

/** How the suite wants the logger under test built. */
export interface LoggerSetup {
  level: ConformanceLogLevel
  /** Paths whose values must not be written, in pino's syntax: `card.number`, `*.password`. */
  redact: readonly string[]
  /** Where every line goes, one entry per line (a trailing newline is fine). */
  write: (line: string) => void
}

/** One written entry, as {@link LoggerConformanceOptions.read} gives it back. */
export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error'
  msg?: string
  /** The logged error, under `err`: its name, message and stack. */
  err?: { type: string; message: string; stack: string }
  /** Bindings and fields, at the top level. */
  [field: string]: unknown
}

export interface LoggerConformanceOptions {
  /** Shown in the test names, e.g. `'logger/pino'`. */
  name: string
  /** A fresh logger for each case, as `setup` asks. */
  createLogger: (setup: LoggerSetup) => Logger | Promise<Logger>
  /** Flush and release the logger after a case. */
  close?: (logger: Logger) => unknown
  /**
   * One written line as a record. The default reads JSON lines with `level`
   * as a name or pino's number, `msg`, fields and bindings at the top level,
   * and `err` as `{ type, message, stack }`: give your own for another format.
   */
  read?: (line: string) => LogRecord
  /**
   * Whether the implementation can be configured to redact paths. A logger
   * that cannot says `false`, and the redaction case is reported as skipped.
   * @default true
   */
  redaction?: boolean
}

const pinoLevels: Record<number, LogRecord['level']> = { 20: 'debug', 30: 'info', 40: 'warn', 50: 'error' }

/** JSON lines, with pino's numeric levels or level names. */
function readJsonLine(line: string): LogRecord {
  const record = JSON.parse(line) as Record<string, unknown>
  const level = typeof record.level === 'number' ? pinoLevels[record.level] : record.level
  return { ...record, level } as LogRecord
}

/**
 * The logger slot's contract as a test suite: levels and the threshold,
 * both call forms (`(message)` and `(fields, message)`), child loggers and
 * their bindings, errors under `err` written with name, message and stack,
 * redaction of configured paths, and no throw on circular data (a logger
 * that throws while the app reports an error would hide the error).
 *
 * Each case builds its own logger, so each passes alone and in any order.
 *
 * @example
 * // test/my-logger.test.ts
 * import { runLoggerConformance } from 'dovetailjs/testing/conformance'
 * import { createMyLogger } from '../src/my-logger.js'
 *
 * runLoggerConformance({
 *   name: 'acme-logger',
 *   createLogger: ({ level, redact, write }) => createMyLogger({ level, redact, output: { write } }),
 * })
 */
export function runLoggerConformance(options: LoggerConformanceOptions): void {
  const read = options.read ?? readJsonLine

  /** Run `use` on a fresh logger, then release it; `records()` reads what it wrote so far. */
  const withLogger = async (setup: Partial<Omit<LoggerSetup, 'write'>>, use: (log: Logger, records: () => LogRecord[]) => void | Promise<void>) => {
    const lines: string[] = []
    const write = (chunk: string) => void lines.push(...String(chunk).split('\n').filter((line) => line.trim() !== ''))
    const log = await options.createLogger({ level: setup.level ?? 'info', redact: setup.redact ?? [], write })
    try {
      await use(log, () => lines.map(read))
    } finally {
      await options.close?.(log)
    }
  }

  describe(`logger conformance: ${options.name}`, () => {
    describe('levels', () => {
      it('writes info, warn and error at their levels, and drops debug below the info threshold', () =>
        withLogger({ level: 'info' }, (log, records) => {
          log.debug('not written')
          log.info('an info line')
          log.warn('a warning')
          log.error('an error')
          expect(records().map((r) => [r.level, r.msg])).toEqual([
            ['info', 'an info line'],
            ['warn', 'a warning'],
            ['error', 'an error'],
          ])
        }))

      it('writes debug at the debug threshold', () =>
        withLogger({ level: 'debug' }, (log, records) => {
          log.debug('a debug line')
          log.debug({ step: 2 }, 'with fields')
          expect(records().map((r) => [r.level, r.msg, r.step])).toEqual([
            ['debug', 'a debug line', undefined],
            ['debug', 'with fields', 2],
          ])
        }))

      it('takes fields with a message, or fields alone', () =>
        withLogger({}, (log, records) => {
          log.info({ user: 42, tags: ['a', 'b'] }, 'signed in')
          log.warn({ slow: true })
          const [withMessage, fieldsOnly] = records()
          expect(withMessage).toMatchObject({ level: 'info', msg: 'signed in', user: 42, tags: ['a', 'b'] })
          expect(fieldsOnly).toMatchObject({ level: 'warn', slow: true })
        }))
    })

    describe('child loggers', () => {
      it('a child writes its bindings on every line; its parent does not', () =>
        withLogger({}, (log, records) => {
          const child = log.child({ requestId: 'r-1' })
          child.info('from the child')
          child.error({ status: 500 }, 'failed')
          log.info('from the parent')
          const [first, second, parent] = records()
          expect(first).toMatchObject({ msg: 'from the child', requestId: 'r-1' })
          expect(second).toMatchObject({ level: 'error', msg: 'failed', requestId: 'r-1', status: 500 })
          expect(parent!.msg).toBe('from the parent')
          expect(parent).not.toHaveProperty('requestId')
        }))

      it('a grandchild has both generations’ bindings; a child’s own level threshold is its parent’s', () =>
        withLogger({ level: 'info' }, (log, records) => {
          const grandchild = log.child({ requestId: 'r-2' }).child({ route: 'orders' })
          grandchild.debug('not written')
          grandchild.warn('both bindings')
          expect(records()).toHaveLength(1)
          expect(records()[0]).toMatchObject({ level: 'warn', msg: 'both bindings', requestId: 'r-2', route: 'orders' })
        }))
    })

    describe('errors', () => {
      it('an error under err is written with its name, message and stack', () =>
        withLogger({}, (log, records) => {
          class PaymentError extends Error {
            override name = 'PaymentError'
          }
          log.error({ err: new PaymentError('card declined'), orderId: 7 }, 'payment failed')
          log.child({ requestId: 'r-3' }).error({ err: new TypeError('x is not a function') }, 'crashed')
          const [payment, typeError] = records()
          expect(payment).toMatchObject({ level: 'error', msg: 'payment failed', orderId: 7 })
          expect(payment!.err).toMatchObject({ type: 'PaymentError', message: 'card declined' })
          expect(payment!.err!.stack).toContain('card declined')
          expect(payment!.err!.stack).toMatch(/\n\s+at /)
          expect(typeError).toMatchObject({ requestId: 'r-3', err: { type: 'TypeError', message: 'x is not a function' } })
        }))
    })

    describe('redaction', () => {
      it.skipIf(options.redaction === false)('values at configured paths never reach the output; their neighbours do', () =>
        withLogger({ redact: ['card.number', '*.password'] }, (log, records) => {
          log.info({ card: { number: '4111111111111111', brand: 'visa' }, user: { name: 'ada', password: 'hunter2' } }, 'order placed')
          log.child({ route: 'login' }).warn({ account: { name: 'bo', password: 'letmein' } }, 'failed login')
          const text = JSON.stringify(records())
          expect(text).not.toContain('4111111111111111')
          expect(text).not.toContain('hunter2')
          expect(text).not.toContain('letmein')
          const [order, login] = records()
          expect(order).toMatchObject({ msg: 'order placed', card: { brand: 'visa' }, user: { name: 'ada' } })
          expect(login).toMatchObject({ msg: 'failed login', route: 'login', account: { name: 'bo' } })
        }))
    })

    describe('data it cannot write as is', () => {
      it('does not throw on circular fields or a circular error cause, and still writes the line', () =>
        withLogger({}, (log, records) => {
          const order: Record<string, unknown> = { id: 1 }
          order.self = order
          const err = new Error('loops')
          ;(err as { cause?: unknown }).cause = err
          expect(() => log.info({ order }, 'circular fields')).not.toThrow()
          expect(() => log.error({ err }, 'circular cause')).not.toThrow()
          expect(() => log.child({ order }).warn('circular bindings')).not.toThrow()
          expect(records().map((r) => r.msg)).toEqual(['circular fields', 'circular cause', 'circular bindings'])
          expect(records()[0]).toMatchObject({ order: { id: 1 } })
          expect(records()[1]!.err!.message).toContain('loops')
        }))
    })
  })
}
