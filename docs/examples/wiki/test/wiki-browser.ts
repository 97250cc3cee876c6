/**
 * A very small browser for the wiki's tests: it keeps cookies, follows no
 * redirects (the tests look at them), sends the Origin a browser would, and
 * remembers the CSRF token of the last page it read, which `submit` puts in
 * the form the way a browser sends the hidden field.
 */
export class WikiBrowser {
  readonly #send: (request: Request) => Promise<Response>
  readonly origin: string
  readonly cookies = new Map<string, string>()
  /** The `_csrf` value of the last page read, if it had a form. */
  csrfToken: string | undefined

  constructor(send: (request: Request) => Promise<Response>, origin = 'http://localhost') {
    this.#send = send
    this.origin = origin
  }

  /** A browser for an app in this process. */
  static of(app: { fetch(request: Request): Promise<Response> }): WikiBrowser {
    return new WikiBrowser((request) => app.fetch(request))
  }

  /** A browser for a server at `origin` (another process). */
  static at(origin: string): WikiBrowser {
    return new WikiBrowser((request) => fetch(request, { redirect: 'manual' }), origin)
  }

  async get(path: string): Promise<Page> {
    return this.#request('GET', path)
  }

  /** Post a form; the CSRF token of the last page goes with it unless `csrf` is false or another token is given. */
  async submit(path: string, fields: Record<string, string>, options: { csrf?: boolean | string } = {}): Promise<Page> {
    const form = new URLSearchParams()
    const token = options.csrf === false ? undefined : typeof options.csrf === 'string' ? options.csrf : this.csrfToken
    if (token !== undefined) form.set('_csrf', token)
    for (const [name, value] of Object.entries(fields)) form.set(name, value)
    return this.#request('POST', path, form)
  }

  /** Read `formPath` (to get its token), then submit `fields` to `action`. */
  async fill(formPath: string, action: string, fields: Record<string, string>): Promise<Page> {
    const form = await this.get(formPath)
    if (form.status !== 200) throw new Error(`GET ${formPath} answered ${form.status}, not the form`)
    return this.submit(action, fields)
  }

  async #request(method: string, path: string, form?: URLSearchParams): Promise<Page> {
    const headers = new Headers({ accept: 'text/html' })
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    if (form) {
      headers.set('content-type', 'application/x-www-form-urlencoded')
      headers.set('origin', this.origin)
    }
    const response = await this.#send(new Request(new URL(path, this.origin), { method, headers, body: form?.toString() ?? null }))
    this.#keepCookies(response)
    const html = await response.text()
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
    if (token) this.csrfToken = token
    return { status: response.status, html, headers: response.headers, location: response.headers.get('location') ?? undefined }
  }

  #keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === ''
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
}

export interface Page {
  status: number
  html: string
  headers: Headers
  location: string | undefined
}

/** The text of a page without its tags, whitespace collapsed: what a reader sees. */
export const visibleText = (html: string): string =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    // Inline elements run on with the text around them; every other tag breaks it.
    .replace(/<\/?(a|span|strong|em|b|i|mark|time|code|small|ins|del)\b[^>]*>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
