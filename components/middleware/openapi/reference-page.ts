import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { OpenApiUiMissing } from './errors.js'

/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
export const uiFiles = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const

/** The folder of the installed swagger-ui-dist, found the way an import from here would find it. */
export function swaggerUiFolder(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  } catch (error) {
    throw OpenApiUiMissing('middleware/openapi: the reference page needs the swagger-ui-dist package, which is not installed. Run npm install swagger-ui-dist, or set the option docsPath: false to serve only the document.', { cause: error })
  }
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

/**
 * The reference page: Swagger UI's stylesheet and script from `assets`, and
 * the script that starts it (`start.js`, a file of its own so the page's
 * Content-Security-Policy needs no inline script).
 */
export function referencePage(title: string, assets: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><!-- else the browser asks for /favicon.ico, a 404 in its console -->
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(assets)}/swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script src="${escapeHtml(assets)}/swagger-ui-bundle.js"></script>
<script src="${escapeHtml(assets)}/start.js"></script>
</body>
</html>
`
}

/** The script that points Swagger UI at the document. */
export function startScript(documentPath: string): string {
  return `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(documentPath)}, dom_id: '#api-reference', deepLinking: true, presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout' })\n`
}

/**
 * What the page may load: its own scripts and styles (Swagger UI sets style
 * attributes, hence 'unsafe-inline' for styles only), images it inlines,
 * and the document from this origin. Set on the page itself, so an app-wide
 * policy as strict as the api preset's (default-src 'none') still lets it work.
 */
export const pagePolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
