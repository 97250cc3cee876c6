import { createHash } from 'node:crypto'

/** Escape text for HTML content and quoted attribute values. */
export const escapeText = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

/**
 * A whole page whose only style is inline, with its own Content-Security-Policy
 * allowing exactly that style (by hash) and nothing else: no scripts, no
 * images, no framing. The security-headers middleware leaves a CSP a response
 * already has, so this one is what the browser sees.
 */
export function page(title: string, style: string, body: string): { html: string; csp: string } {
  const hash = createHash('sha256').update(style).digest('base64')
  return {
    html: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeText(title)}</title><style>${style}</style></head>\n<body>\n${body}\n</body></html>\n`,
    csp: `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  }
}
