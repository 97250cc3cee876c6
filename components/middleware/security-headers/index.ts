export { securityHeaders, securityHeaders as default } from './component.js'
export { securityHeadersOptions, type SecurityHeadersOptions } from './options.js'
export { createSecurityHeaders, securityHeaderLines } from './security-headers.js'
export { buildCsp, defaultCspDirectives, type CspDirectives, type CspValue } from './csp.js'
