/**
 * Fail with a message naming what did not happen instead of hanging until the
 * test timeout: for tests that wait on a socket or a web server.
 *
 * @example
 * const res = await within(fetch(url), 5000, 'the answer')
 */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    )
  })
}
