import { type Middleware, type OpenApiDocument } from '../../../core/index.js'
import { createStatic, staticOptions } from '../static/index.js'
import type { ResolvedOpenApiMiddlewareOptions } from './options.js'
import { pagePolicy, referencePage, startScript, swaggerUiFolder, uiFiles } from './reference-page.js'

/**
 * The middleware: GET or HEAD `path` answers the document, `docsPath` the
 * reference page and `docsPath/assets/…` its files; every other request
 * passes on untouched. The document is serialised once, here, so a request
 * for it costs a string copy.
 *
 * @example
 * createOpenApiMiddleware(app.openapi(), openApiOptions.parse({}))
 */
export function createOpenApiMiddleware(document: OpenApiDocument, options: ResolvedOpenApiMiddlewareOptions): Middleware {
  const json = JSON.stringify(document)
  const { path, docsPath } = options
  const page = docsPath === false ? undefined : pageParts(docsPath, path, document.info.title)
  return async function openapi(ctx, next) {
    const method = ctx.request.method
    if (method !== 'GET' && method !== 'HEAD') return next()
    if (ctx.path === path) return ctx.text(json, { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' } })
    if (!page) return next()
    if (ctx.path === page.path) return ctx.html(page.html, { headers: { 'content-security-policy': pagePolicy, 'cache-control': 'no-cache' } })
    if (ctx.path === page.start) return ctx.text(page.script, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' } })
    if (page.files.has(ctx.path)) return page.assets(ctx, next)
    return next()
  }
}

function pageParts(docsPath: string, documentPath: string, title: string) {
  const assetsPath = `${docsPath}/assets`
  return {
    path: docsPath,
    html: referencePage(title, assetsPath),
    start: `${assetsPath}/start.js`,
    script: startScript(documentPath),
    // Only the files the page loads: the package's README, source maps and package.json stay unserved.
    files: new Set(uiFiles.map((f) => `${assetsPath}/${f}`)),
    // The static middleware's ETag, 304 and compression handling, over the installed package's folder.
    assets: createStatic(staticOptions.parse({ root: swaggerUiFolder(), prefix: assetsPath, index: false })),
  }
}
