import { statusText, type ErrorDetails } from '../../../core/index.js'
import { escapeText, page } from './html.js'

const style =
  'body{font:16px/1.5 system-ui,sans-serif;color:#222;background:#fafafa;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}' +
  'main{max-width:34rem;padding:2rem}h1{font-size:1.6rem;margin:0 0 .5rem}p{margin:.5rem 0}.status{color:#888;font-size:.9rem;letter-spacing:.05em}' +
  '.id{font-size:.9rem;color:#555}code{background:#eee;padding:.1rem .3rem;border-radius:3px}'

const headline: Record<number, [string, string]> = {
  404: ['Page not found', 'There is nothing at this address. Check it for typos, or start again from the home page.'],
  405: ['Not allowed here', 'This address does not accept that kind of request.'],
}

/**
 * The page a visitor sees in production: what happened in plain words and the
 * request id to quote. Nothing from the error itself (no stack, no source, no
 * internal message): only the message an HttpError chose to expose.
 */
export function friendlyPage(d: ErrorDetails, requestId: string | undefined): { html: string; csp: string } {
  const [title, text] =
    headline[d.status] ??
    (d.status >= 500
      ? ['Something went wrong', 'The error is on our side, not yours. Please try again in a moment.']
      : [statusText(d.status), d.message])
  const id = requestId
    ? `<p class="id">If you report this problem, please quote the request id <code>${escapeText(requestId)}</code>.</p>`
    : ''
  return page(`${d.status} ${title}`, style, `<main><p class="status">Error ${d.status}</p><h1>${escapeText(title)}</h1><p>${escapeText(text)}</p>${id}</main>`)
}
