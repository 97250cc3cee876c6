import { type App, consoleLogger, createApp, Logger } from 'dovetailjs'
import { runLoggerConformance } from 'dovetailjs/testing/conformance'
import { pinoLogger } from 'dovetailjs/components/logger/pino'

// pino as an app gets it: the component, its options validated, the logger resolved from the container.
const apps = new Map<Logger, App>()
runLoggerConformance({
  name: 'logger/pino',
  createLogger: async ({ level, redact, write }) => {
    const app = await createApp({ environment: 'test', components: { logger: pinoLogger({ level, redact: [...redact], destination: { write } }) } })
    const log = app.resolve(Logger)
    apps.set(log, app)
    return log
  },
  close: async (log) => {
    await apps.get(log)?.close()
    apps.delete(log)
  },
})

// The core's fallback when the slot is empty: it writes to stdout and stderr, and has no redaction option.
runLoggerConformance({
  name: 'consoleLogger (the fallback when no component fills the slot)',
  createLogger: ({ level, write }) => capturing(consoleLogger({}, level), write),
  redaction: false,
})

/** The logger with whatever it writes to stdout and stderr during each call sent to `write` instead. */
function capturing(log: Logger, write: (line: string) => void): Logger {
  const during =
    <A extends unknown[]>(call: (...args: A) => void) =>
    (...args: A): void => {
      const out = process.stdout.write
      const err = process.stderr.write
      const sink = ((chunk: string | Uint8Array) => {
        write(String(chunk))
        return true
      }) as typeof process.stdout.write
      process.stdout.write = sink
      process.stderr.write = sink
      try {
        call(...args)
      } finally {
        process.stdout.write = out
        process.stderr.write = err
      }
    }
  return {
    debug: during(log.debug as (...args: unknown[]) => void),
    info: during(log.info as (...args: unknown[]) => void),
    warn: during(log.warn as (...args: unknown[]) => void),
    error: during(log.error as (...args: unknown[]) => void),
    child: (bindings) => capturing(log.child(bindings), write),
  }
}
