const noop = () => {}

/**
 * Whether the web server gave up on a request (closed the connection, sent
 * FCGI_ABORT_REQUEST), and who wants to hear of it.
 *
 * Why not an AbortController: making one costs microseconds (node makes its
 * signal transferable), per request, and most requests never need
 * `request.signal`; the lazy request makes its controller only when read, and
 * listens here.
 */
export class Hangup {
  #listeners: Array<(reason: unknown) => void> | undefined
  #reason: unknown
  #happened = false

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

  fire(reason: unknown): void {
    if (this.#happened) return
    this.#happened = true
    this.#reason = reason
    for (const listener of this.#listeners?.splice(0) ?? []) listener(reason)
  }
}
