const noop = () => {}

/**
 * Whether the web server gave up on a request (closed the connection, sent
 * FCGI_ABORT_REQUEST), and who wants to hear of it.
 *
 * Why not an AbortController: making one costs microseconds (node makes its
 * signal transferable), per request, and most requests never need
 * `request.signal`; the lazy request makes its controller only when read, and
 * listens here.
 *
 * @example
 * const hangup = new Hangup()
 * socket.once('close', () => hangup.fire(new Error('the web server closed the connection')))
 * const request = cgiRequest(params, { body, onAbort: (listener) => void hangup.on(listener) })
 */
export class Hangup {
  #listeners: Array<(reason: unknown) => void> | undefined
  #reason: unknown
  #happened = false

  /** True once {@link Hangup.fire} was called. */
  get happened(): boolean {
    return this.#happened
  }

  /** Call `listener` when it happens (at once if it has); returns a function that stops listening. */
  on(listener: (reason: unknown) => void): () => void {
    if (this.#happened) {
      listener(this.#reason)
      return noop
    }
    ;(this.#listeners ??= []).push(listener)
    return () => {
      const at = this.#listeners?.indexOf(listener) ?? -1
      if (at >= 0) this.#listeners!.splice(at, 1)
    }
  }

  /** It happened, for `reason`: tell every listener, once. Later calls do nothing. */
  fire(reason: unknown): void {
    if (this.#happened) return
    this.#happened = true
    this.#reason = reason
    for (const listener of this.#listeners?.splice(0) ?? []) listener(reason)
  }
}
