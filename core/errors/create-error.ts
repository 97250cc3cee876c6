import { DovetailError } from './dovetail-error.js'
import { HttpError, type HttpErrorOptions } from './http-error.js'

/** What the docs say of one error code: its owner documents it, a test checks the page. */
export interface ErrorCodeInfo {
  /** Stable across releases; built-ins use `DOVETAIL_ERR_<AREA>_<DETAIL>`, third parties a prefix of their own. */
  readonly code: string
  /** One sentence: when it is raised and what to do. */
  readonly meaning: string
  /** The HTTP status, for codes that become responses. */
  readonly status?: number
}

/** Throws a {@link DovetailError} with its code: a boot or programming error. */
export interface DovetailErrorFactory<C extends string = string> extends ErrorCodeInfo {
  readonly code: C
  (message: string, options?: { cause?: unknown }): DovetailError
}

/** Makes an {@link HttpError} with its code and status: a request error that becomes a response. */
export interface HttpErrorFactory<C extends string = string> extends ErrorCodeInfo {
  readonly code: C
  readonly status: number
  (message?: string, options?: Omit<HttpErrorOptions, 'code'>): HttpError
}

/**
 * Declare one error code where it is thrown, as Fastify's `createError` does:
 * the module that raises an error owns its code, its meaning and, for request
 * errors, its status. Export every code a component owns as its `errorCodes`
 * list, and give each a row in your docs (Dovetail's own are in
 * `docs/errors.md`, which a test checks both ways).
 *
 * @example
 * export const TooManyWidgets = createError('ACME_ERR_WIDGETS_TOO_MANY', '429: the widget quota is spent.', 429)
 * export const NoWidgetStore = createError('ACME_ERR_WIDGETS_NO_STORE', 'No widget store is registered.')
 * export const errorCodes = [TooManyWidgets, NoWidgetStore]
 * throw TooManyWidgets('Try again in a minute', { headers: { 'retry-after': '60' } })
 */
export function createError<C extends string>(code: C, meaning: string): DovetailErrorFactory<C>
export function createError<C extends string>(code: C, meaning: string, status: number): HttpErrorFactory<C>
export function createError<C extends string>(code: C, meaning: string, status?: number): DovetailErrorFactory<C> | HttpErrorFactory<C> {
  if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(code)) throw new TypeError(`createError: '${code}' is not an upper-case code such as ACME_ERR_WIDGETS_TOO_MANY.`)
  if (status === undefined) {
    const factory = (message: string, options?: { cause?: unknown }) => fromThrowSite(new DovetailError(code, message, options), factory)
    return Object.assign(factory, { code, meaning })
  }
  if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`createError: ${code} has status ${status}; request errors are 400 to 599.`)
  const factory = (message?: string, options?: Omit<HttpErrorOptions, 'code'>) => fromThrowSite(new HttpError(status, message, { ...options, code }), factory)
  return Object.assign(factory, { code, meaning, status })
}

/** Start the stack at the factory's caller, so its first frame is where the error was thrown, not this file. */
function fromThrowSite<E extends Error>(error: E, factory: (...args: never[]) => unknown): E {
  Error.captureStackTrace?.(error, factory)
  return error
}
