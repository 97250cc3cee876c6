import type { Logger } from 'dovetailjs'

/** A logger that keeps what it is given, so tests stay quiet and can check what was logged. */
export function recordingLogger(): Logger & { errors: unknown[][] } {
  const errors: unknown[][] = []
  const noop = () => {}
  const logger = {
    errors,
    debug: noop,
    info: noop,
    warn: noop,
    error: (...args: unknown[]) => void errors.push(args),
    child: () => logger,
  }
  return logger as Logger & { errors: unknown[][] }
}
