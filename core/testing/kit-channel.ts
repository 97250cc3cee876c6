/**
 * How the server kit's app and the test tell each other what happened ("the
 * first chunk arrived: go on", "the client's abort reached request.signal",
 * "a breach"). The app may run in the test's process (node, FastCGI, SCGI,
 * any fetch host) or in another one (a CGI program, one per request): each
 * event is kept in memory, for a waiter in this process, and as a file in a
 * folder both processes know, for one in the other.
 *
 * Event names become file names, so only `[a-z0-9-]` is accepted: a name
 * that arrives in a URL cannot reach outside the folder.
 */
type Fs = typeof import('node:fs')

const eventName = /^[a-z][a-z0-9-]{0,80}$/

export class KitChannel {
  readonly #fs: Fs
  readonly #folder: string
  readonly #sent = new Map<string, string>()
  readonly #waiters = new Map<string, Array<() => void>>()

  private constructor(fs: Fs, folder: string) {
    this.#fs = fs
    this.#folder = folder
  }

  /** node:fs is loaded here, not at import: `dovetailjs/testing` also runs where there is none. */
  static async open(folder: string): Promise<KitChannel> {
    return new KitChannel(await import('node:fs'), folder)
  }

  static isEventName(name: string): boolean {
    return eventName.test(name)
  }

  /** Record that `event` happened, with an optional text (a breach's message). */
  send(event: string, detail = ''): void {
    if (!eventName.test(event)) throw new TypeError(`kit channel: '${event}' is not an event name ([a-z0-9-])`)
    this.#sent.set(event, detail)
    this.#fs.writeFileSync(`${this.#folder}/${event}`, detail)
    for (const wake of this.#waiters.get(event) ?? []) wake()
    this.#waiters.delete(event)
  }

  /** Whether `event` happens within `ms`: at once from this process, within a poll from another. */
  async received(event: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms
    let wait = 5
    while (!this.#has(event)) {
      const left = deadline - Date.now()
      if (left <= 0) return false
      await new Promise<void>((resolve) => {
        const waiters = this.#waiters.get(event) ?? []
        const done = () => {
          clearTimeout(timer)
          const at = waiters.indexOf(done)
          if (at >= 0) waiters.splice(at, 1)
          resolve()
        }
        const timer = setTimeout(done, Math.min(wait, left))
        // Kept referenced: in a CGI program, a handler waiting here may be all that keeps the process alive.
        waiters.push(done)
        this.#waiters.set(event, waiters)
      })
      wait = Math.min(wait * 2, 50)
    }
    return true
  }

  /** The texts of the events whose names start with `prefix`, from both processes, oldest first. */
  list(prefix: string): string[] {
    const names = this.#fs.readdirSync(this.#folder).filter((name) => name.startsWith(prefix))
    const timed = names.map((name) => ({ name, at: this.#fs.statSync(`${this.#folder}/${name}`).mtimeMs }))
    return timed.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name)).map(({ name }) => this.#fs.readFileSync(`${this.#folder}/${name}`, 'utf8'))
  }

  #has(event: string): boolean {
    return this.#sent.has(event) || this.#fs.existsSync(`${this.#folder}/${event}`)
  }
}
