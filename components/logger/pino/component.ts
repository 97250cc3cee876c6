import { z } from 'zod'
import { defineComponent, Environment, Logger } from '../../../core/index.js'
import { createPinoLogger, type PinoDestination, type PinoHandle } from './create-pino-logger.js'

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const isStream = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as { write?: unknown }).write === 'function'

export const pinoOptions = z.strictObject({
  level: z.enum(levels).optional(),
  redact: z.array(z.string().min(1)).default([]),
  pretty: z
    .boolean()
    .default(false)
    .refine((pretty) => pretty === false, {
      message:
        'pretty printing is not built in (it would pull pino-pretty into production). Leave pretty false and pipe the output: `node server.js | npx pino-pretty`.',
    })
    .transform(() => false as const),
  destination: z
    .custom<PinoDestination>((value) => (typeof value === 'string' && value.length > 0) || isStream(value), {
      message: "destination must be 'stdout', 'stderr', a file path, or a stream with write(line)",
    })
    .default('stdout'),
  base: z.record(z.string(), z.unknown()).default({}),
})
  // Every option has a default, so the factory may be called with none.
  .prefault({})

/**
 * The logger slot on pino: JSON lines, redaction, levels, and a file or
 * standard-stream destination that is flushed and closed at `app.close()`.
 *
 * @example
 * import { pinoLogger } from 'dovetailjs/components/logger/pino'
 * defineConfig({ components: { logger: pinoLogger({ level: 'info', redact: ['req.headers.cookie'], destination: 'logs/app.log' }) } })
 * // or by name, with the defaults: components: { logger: 'pino' }
 */
export const pinoLogger = defineComponent({
  name: 'logger/pino',
  slot: 'logger',
  contract: '^1.0',
  options: pinoOptions,
  register(c, options) {
    let handle: PinoHandle | undefined
    c.singleton(
      Logger,
      (resolve) => {
        handle = createPinoLogger(options, resolve(Environment))
        return handle.logger
      },
      { dispose: () => handle?.close() },
    )
  },
})
