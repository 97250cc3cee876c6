import { z } from 'zod'
import { defineComponent, Logger } from '../../../core/index.js'
import { createCsrfMiddleware } from './csrf-middleware.js'

const origin = z.string().refine(
  (value) => {
    try {
      return new URL(value).origin === value
    } catch {
      return false
    }
  },
  { message: "each trusted origin is a scheme, host and optional port with no path or trailing slash, e.g. 'https://admin.example.com'" },
)

export const csrfOptions = z.strictObject({
  /** The form field that carries the token. */
  fieldName: z.string().min(1).default('_csrf'),
  /** The header that carries the token (for fetch() and XHR). */
  headerName: z.string().min(1).toLowerCase().default('x-csrf-token'),
  /** Other origins allowed to send unsafe requests (a separate admin front end). */
  trustedOrigins: z.array(origin).default([]),
  /** Path prefixes not checked at all, e.g. webhooks signed another way. */
  exemptPaths: z.array(z.string().startsWith('/')).default([]),
  /**
   * `'forms'`: the token is needed on unsafe requests a cross-site page could
   * send without a CORS preflight (form and text bodies); JSON and other types
   * rely on the Origin check. `'always'`: on every unsafe request.
   */
  tokenRequired: z.enum(['forms', 'always']).default('forms'),
  /** How much of a form body is read looking for the token field. */
  maxScanBytes: z.number().int().min(1024).default(64 * 1024),
})

/** What `csrf(...)` accepts. */
export type CsrfOptions = z.input<typeof csrfOptions>

/**
 * Cross-site request forgery protection: unsafe requests (POST, PUT, PATCH,
 * DELETE) must come from the app's own origin (or a trusted one) and, when a
 * form could have sent them, carry the session's token in the `_csrf` field or
 * the `x-csrf-token` header. Templates get `csrfToken` and `csrfField()`.
 * Put it after the session middleware.
 *
 * @example
 * import { csrf } from 'dovetailjs/components/middleware/csrf'
 * defineConfig({ components: { middleware: [sessionMiddleware({ secrets }), csrf()] } })
 * // in a template: <form method="post">{{ csrfField() }} ... </form>
 */
export const csrf = defineComponent({
  name: 'middleware/csrf',
  slot: 'middleware',
  contract: '^1.0',
  requires: ['session-store'],
  options: csrfOptions,
  middleware: (app, options) => createCsrfMiddleware(options, app.resolve(Logger)),
})
