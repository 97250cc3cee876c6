/**
 * Base class of every error Dovetail throws on purpose. `code` is stable across
 * releases and documented by its owner (Dovetail's own in `docs/errors.md`), so
 * programs may branch on it.
 *
 * @example
 * try { await createApp(config) } catch (e) {
 *   if (e instanceof DovetailError && e.code === 'DOVETAIL_ERR_COMPONENT_OPTIONS') process.exit(2)
 * }
 */
export class DovetailError extends Error {
  override name = 'DovetailError'
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} [${code}]`, options)
  }
}
