import { token } from '../container/token.js'
import { lightResponse } from '../gateway/light-response.js'
import { DovetailError } from './dovetail-error.js'
import { HttpError, statusText } from './http-error.js'
import { prefersHtml } from './negotiate.js'
import { problemResponse } from '../validation/validation-error.js'

/** Everything an error renderer may show. */
export interface ErrorDetails {
  status: number
  code: string
  /** Safe to show: the HttpError's message when exposed, else the status text. */
  message: string
  headers: Headers
  /** The original error; show its stack only in development. */
  error: unknown
  request: Request
  environment: string
}

/**
 * Turns an error into a response. The core's default writes a small JSON or
 * HTML body; the error-pages middleware of the fullstack preset replaces it
 * with a debug page in development. Register your own under this token.
 */
export type ErrorRenderer = (details: ErrorDetails) => Response

export const ErrorRenderer = token<ErrorRenderer>('ErrorRenderer')

/** Normalize anything thrown into what a renderer needs. Unknown errors become 500s. */
export function errorDetails(error: unknown, request: Request, environment: string): ErrorDetails {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      code: error.code,
      message: error.expose ? error.message : statusText(error.status),
      headers: error.headers,
      error,
      request,
      environment,
    }
  }
  return {
    status: 500,
    code: 'DOVETAIL_ERR_HTTP_INTERNAL',
    message: statusText(500),
    headers: new Headers(),
    error,
    request,
    environment,
  }
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

/** The core's default renderer: JSON or minimal HTML; the stack only in development. */
export const defaultErrorRenderer: ErrorRenderer = (d) => {
  const debug = d.environment === 'development' && d.status >= 500 && d.error instanceof Error
  const headers = new Headers(d.headers)
  if (prefersHtml(d.request.headers.get('accept'))) {
    headers.set('content-type', 'text/html; charset=utf-8')
    const detail = debug ? `<pre>${escapeHtml(String((d.error as Error).stack))}</pre>` : ''
    const body = `<!doctype html><html><head><meta charset="utf-8"><title>${d.status} ${escapeHtml(statusText(d.status))}</title></head><body><h1>${d.status} ${escapeHtml(statusText(d.status))}</h1><p>${escapeHtml(d.message)}</p>${detail}</body></html>`
    return lightResponse(body, d.status, headers)
  }
  const problem = problemResponse(d)
  if (problem) return problem
  headers.set('content-type', 'application/json; charset=utf-8')
  const error: Record<string, unknown> = { status: d.status, code: d.code, message: d.message }
  if (debug) {
    const e = d.error as Error
    error.debug = { name: e.name, message: e.message, stack: e.stack, ...(e instanceof DovetailError ? { code: e.code } : {}) }
  }
  return lightResponse(JSON.stringify({ error }), d.status, headers)
}
