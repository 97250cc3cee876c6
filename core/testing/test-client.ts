import type { FetchHandler, HasFetch } from '../gateway/fetch-handler.js'

export interface TestRequestOptions {
  headers?: HeadersInit
  /** Sent as `application/json`. */
  json?: unknown
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string> | URLSearchParams
  /** Sent as is. */
  body?: BodyInit
}

export interface TestClient {
  request(method: string, path: string, options?: TestRequestOptions): Promise<Response>
  get(path: string, options?: TestRequestOptions): Promise<Response>
  head(path: string, options?: TestRequestOptions): Promise<Response>
  post(path: string, options?: TestRequestOptions): Promise<Response>
  put(path: string, options?: TestRequestOptions): Promise<Response>
  patch(path: string, options?: TestRequestOptions): Promise<Response>
  delete(path: string, options?: TestRequestOptions): Promise<Response>
}

/**
 * Requests against an app without a socket: each call builds a `Request` and
 * hands it to the app's fetch handler, exactly as a server adapter would.
 *
 * @example
 * const client = createTestClient(app)
 * const res = await client.post('/pages', { form: { title: 'Home' } })
 * expect(res.status).toBe(303)
 */
export function createTestClient(app: HasFetch | FetchHandler, origin = 'http://localhost'): TestClient {
  const fetch = typeof app === 'function' ? app : app.fetch.bind(app)
  const request = async (method: string, path: string, options: TestRequestOptions = {}) => {
    const headers = new Headers(options.headers)
    let body: BodyInit | undefined = options.body
    if (options.json !== undefined) {
      body = JSON.stringify(options.json)
      if (!headers.has('content-type')) headers.set('content-type', 'application/json')
    } else if (options.form !== undefined) {
      body = new URLSearchParams(options.form).toString()
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded')
    }
    return fetch(new Request(new URL(path, origin), { method, headers, body: body ?? null }))
  }
  return {
    request,
    get: (p, o) => request('GET', p, o),
    head: (p, o) => request('HEAD', p, o),
    post: (p, o) => request('POST', p, o),
    put: (p, o) => request('PUT', p, o),
    patch: (p, o) => request('PATCH', p, o),
    delete: (p, o) => request('DELETE', p, o),
  }
}
