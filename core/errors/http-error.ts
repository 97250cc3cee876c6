import type { ErrorCode } from './codes.js'

const defaultCodes: Record<number, ErrorCode> = {
  400: 'DOVETAIL_ERR_HTTP_BAD_REQUEST',
  401: 'DOVETAIL_ERR_HTTP_UNAUTHORIZED',
  403: 'DOVETAIL_ERR_HTTP_FORBIDDEN',
  404: 'DOVETAIL_ERR_HTTP_NOT_FOUND',
  405: 'DOVETAIL_ERR_HTTP_METHOD_NOT_ALLOWED',
  409: 'DOVETAIL_ERR_HTTP_CONFLICT',
  413: 'DOVETAIL_ERR_HTTP_PAYLOAD_TOO_LARGE',
  415: 'DOVETAIL_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
  429: 'DOVETAIL_ERR_HTTP_TOO_MANY_REQUESTS',
  500: 'DOVETAIL_ERR_HTTP_INTERNAL',
  503: 'DOVETAIL_ERR_HTTP_SERVICE_UNAVAILABLE',
}

export interface HttpErrorOptions {
  /** A stable code; defaults to the one registered for the status. */
  code?: ErrorCode | string
  /** Headers the error response carries (`Allow` on a 405, `Retry-After` on a 429). */
  headers?: HeadersInit
  /** Whether `message` may be shown to the client. Defaults to true below 500. */
  expose?: boolean
  cause?: unknown
}

/**
 * An error that knows which HTTP response it becomes. Throw it from a handler or
 * middleware; the pipeline turns it into a JSON or HTML error body, negotiated
 * from the request's `Accept` header.
 *
 * @example
 * r.get('/admin', (ctx) => { throw new HttpError(403, 'Admins only') })
 */
export class HttpError extends Error {
  override name = 'HttpError'
  readonly code: string
  readonly headers: Headers
  readonly expose: boolean
  constructor(
    readonly status: number,
    message?: string,
    options: HttpErrorOptions = {},
  ) {
    super(message ?? statusText(status), { cause: options.cause })
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer from 400 to 599, got ${status}`)
    }
    this.code = options.code ?? defaultCodes[status] ?? `DOVETAIL_ERR_HTTP_${status}`
    this.headers = new Headers(options.headers)
    this.expose = options.expose ?? status < 500
  }
}

/** 404 for a path no route matches. */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError'
  constructor(message = 'Not Found', options?: HttpErrorOptions) {
    super(404, message, options)
  }
}

/** 405 for a path that exists for other methods; carries the `Allow` header. */
export class MethodNotAllowedError extends HttpError {
  override name = 'MethodNotAllowedError'
  constructor(readonly allowed: readonly string[]) {
    super(405, 'Method Not Allowed', { headers: { allow: allowed.join(', ') } })
  }
}

export interface ServiceUnavailableOptions extends Omit<HttpErrorOptions, 'expose'> {
  /** Seconds the client should wait before retrying; sent as `Retry-After`. @default 5 */
  retryAfter?: number
}

/**
 * 503 for a dependency that is down or saturated (database, session store,
 * cache). Components throw it instead of letting a driver error become a 500,
 * so clients and load balancers know to retry. Carries `Retry-After`. The app
 * logs it at debug only: the component that throws it logs the outage itself,
 * once, at warn.
 *
 * @example
 * throw new ServiceUnavailableError('The session store is not answering', { retryAfter: 2, cause: error })
 */
export class ServiceUnavailableError extends HttpError {
  override name = 'ServiceUnavailableError'
  readonly retryAfter: number
  constructor(message = 'Service Unavailable', options: ServiceUnavailableOptions = {}) {
    const retryAfter = options.retryAfter ?? 5
    if (!Number.isInteger(retryAfter) || retryAfter < 0) {
      throw new RangeError(`ServiceUnavailableError retryAfter must be a whole number of seconds, got ${retryAfter}`)
    }
    const headers = new Headers(options.headers)
    headers.set('retry-after', String(retryAfter))
    // The message names an internal service; clients get the status text only.
    super(503, message, { ...options, headers, expose: false })
    this.retryAfter = retryAfter
  }
}

const texts: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 409: 'Conflict', 410: 'Gone',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable',
  422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
}

/** The reason phrase for a status, or `Error` for one without a common phrase. */
export const statusText = (status: number): string => texts[status] ?? 'Error'
