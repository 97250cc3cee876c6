import { z } from 'zod'

export const errorPagesOptions = z
  .strictObject({
    /** Show the debug page (stack, source, request) for 5xx errors. Default: only in development. */
    debug: z.boolean().optional(),
    /** `negotiate`: HTML for browsers, JSON for the rest (the core's prefersHtml); `json` or `html` always. */
    format: z.enum(['negotiate', 'json', 'html']).default('negotiate'),
    /** Source lines shown above and below each app frame's line. */
    contextLines: z.number().int().min(0).max(20).default(3),
    /** Frames in files under this folder (outside node_modules) are the app's: their source is shown. */
    appRoot: z.string().min(1).default(() => process.cwd()),
    /** More request headers to redact on the debug page (cookies, authorization and anything named like a token or secret always are). */
    redactHeaders: z.array(z.string().min(1)).default([]),
  })
  // Every option has a default, so the factory may be called with none.
  .prefault({})

/** error-pages' options, as given (every field optional). */
export type ErrorPagesOptions = NonNullable<z.input<typeof errorPagesOptions>>
