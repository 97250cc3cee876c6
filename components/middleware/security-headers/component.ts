import { defineComponent } from '../../../core/index.js'
import { securityHeadersOptions } from './options.js'
import { createSecurityHeaders } from './security-headers.js'

/**
 * Security headers on every response, strict by default: a same-origin
 * Content-Security-Policy, nosniff, no framing, a cautious referrer policy,
 * cross-origin isolation of the window and resources, and HSTS over https.
 * Each header can be configured or turned off with `false`.
 *
 * @example
 * import { securityHeaders } from 'dovetailjs/components/middleware/security-headers'
 * defineConfig({ components: { middleware: [securityHeaders({
 *   contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'https://images.example'] } },
 * })] } })
 * // or with the defaults: components: { middleware: ['security-headers'] }
 */
export const securityHeaders = defineComponent({
  name: 'middleware/security-headers',
  slot: 'middleware',
  contract: '^1.0',
  options: securityHeadersOptions,
  middleware: (_app, options) => createSecurityHeaders(options),
})
