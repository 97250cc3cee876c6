/**
 * The command line was called wrong (an unknown option, a missing argument, a
 * directory that is not empty): printed with the command's usage, exit code 2.
 * Not a `DovetailError`: nothing in an app raises it, so it has no code to
 * document.
 */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** The exit codes of every command: done, failed, called wrong. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const
