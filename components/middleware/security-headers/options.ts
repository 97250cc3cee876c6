import { z } from 'zod'
import { cspProblem, type CspValue } from './csp.js'

const cspValue = z.union([z.string(), z.array(z.string()), z.boolean()])

const directives = z.record(z.string(), cspValue).superRefine((value, ctx) => {
  for (const [name, v] of Object.entries(value)) {
    const problem = cspProblem(name, v as CspValue)
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [name] })
  }
})

const contentSecurityPolicy = z.strictObject({
  /** Directives to set; merged over the defaults unless `useDefaults` is false. `false` drops a default. */
  directives: directives.default({}),
  useDefaults: z.boolean().default(true),
  /** Send `Content-Security-Policy-Report-Only` instead: report violations, block nothing. */
  reportOnly: z.boolean().default(false),
})

const strictTransportSecurity = z
  .strictObject({
    maxAge: z.number().int().nonnegative().default(31_536_000),
    includeSubDomains: z.boolean().default(true),
    preload: z.boolean().default(false),
  })
  .refine((o) => !o.preload || (o.includeSubDomains && o.maxAge >= 31_536_000), {
    message: 'preload needs includeSubDomains: true and maxAge of at least 31536000 (one year), as the preload list requires',
  })

const referrerPolicies = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
] as const

export const securityHeadersOptions = z.strictObject({
  contentSecurityPolicy: z.union([z.literal(false), contentSecurityPolicy]).default({ directives: {}, useDefaults: true, reportOnly: false }),
  xContentTypeOptions: z.boolean().default(true),
  xFrameOptions: z.union([z.literal(false), z.enum(['DENY', 'SAMEORIGIN'])]).default('DENY'),
  referrerPolicy: z.union([z.literal(false), z.enum(referrerPolicies)]).default('strict-origin-when-cross-origin'),
  crossOriginOpenerPolicy: z.union([z.literal(false), z.enum(['same-origin', 'same-origin-allow-popups', 'unsafe-none'])]).default('same-origin'),
  crossOriginResourcePolicy: z.union([z.literal(false), z.enum(['same-origin', 'same-site', 'cross-origin'])]).default('same-origin'),
  /** Sent on https requests only (a browser ignores it over http). */
  strictTransportSecurity: z.union([z.literal(false), strictTransportSecurity]).default({ maxAge: 31_536_000, includeSubDomains: true, preload: false }),
})
  // Every option has a default, so the factory may be called with none.
  .prefault({})

/** security-headers' options, as given (every field optional). */
export type SecurityHeadersOptions = NonNullable<z.input<typeof securityHeadersOptions>>
