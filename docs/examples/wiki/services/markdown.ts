import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked'
import sanitizeHtml from 'sanitize-html'
import { escapeHtml } from 'dovetailjs'
import { slugFor } from './slugs.js'

/** Where wiki links point, and which pages exist (links to missing ones are styled, as in MoinMoin). */
export interface WikiLinks {
  href(slug: string): string
  exists(slug: string): boolean
}

interface WikiLinkToken extends Tokens.Generic {
  type: 'wikiLink'
  slug: string
  label: string
}

const wikiLinkSyntax = /^\[\[([^\]|\n]+?)(?:\|([^\]\n]+?))?\]\]/

/** Every `[[Target]]` of a text, as page addresses: ask the database about these before rendering. */
export function linkedSlugs(source: string): string[] {
  const slugs = new Set<string>()
  for (const match of source.matchAll(/\[\[([^\]|\n]+?)(?:\|[^\]\n]+?)?\]\]/g)) {
    const slug = slugFor(match[1]!)
    if (slug) slugs.add(slug)
  }
  return [...slugs]
}

function wikiLinkExtension(links: WikiLinks): TokenizerAndRendererExtension {
  return {
    name: 'wikiLink',
    level: 'inline',
    start(src) {
      const at = src.indexOf('[[')
      return at < 0 ? undefined : at
    },
    tokenizer(src) {
      const match = wikiLinkSyntax.exec(src)
      if (!match) return undefined
      const slug = slugFor(match[1]!)
      if (!slug) return undefined
      const token: WikiLinkToken = { type: 'wikiLink', raw: match[0], slug, label: (match[2] ?? match[1]!).trim() }
      return token
    },
    renderer(token) {
      const { slug, label } = token as WikiLinkToken
      const missing = links.exists(slug) ? '' : ' missing'
      const title = missing ? ' title="This page does not exist yet"' : ''
      return `<a class="wikilink${missing}" href="${escapeHtml(links.href(slug))}"${title}>${escapeHtml(label)}</a>`
    },
  }
}

/**
 * What survives of the rendered HTML. The author's Markdown may hold raw HTML,
 * and marked passes it through, so everything is filtered here: no scripts,
 * no event handlers, no styles, and links and images only over http(s)
 * (mailto for links), which removes `javascript:` and `data:` URLs.
 */
const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'ins'],
  allowedAttributes: {
    // rel is set by transformTags below; allowed so that it survives the filter after it.
    a: ['href', 'title', 'class', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['align'],
    td: ['align'],
    code: ['class'],
    ol: ['start'],
  },
  allowedClasses: { a: ['wikilink', 'missing'], code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    // Links to other sites must not pass on who sent the visitor, nor count for search ranking.
    a: (tagName, attribs) => {
      const external = /^(https?:)?\/\//i.test(attribs.href ?? '')
      return { tagName, attribs: external ? { ...attribs, rel: 'nofollow noopener noreferrer' } : attribs }
    },
  },
}

/**
 * A page's Markdown as HTML that is safe to put in the page as it is:
 * GitHub-flavoured Markdown by marked, `[[WikiLinks]]` (and
 * `[[Target|label]]`), then sanitize-html over the result.
 *
 * @example
 * renderMarkdown('See [[HelpContents]]. <script>x()</script>', { href: (s) => `/pages/${s}`, exists: () => true })
 * // '<p>See <a class="wikilink" href="/pages/HelpContents">HelpContents</a>. </p>\n'
 */
export function renderMarkdown(source: string, links: WikiLinks): string {
  const marked = new Marked({ gfm: true, breaks: false, async: false })
  marked.use({ extensions: [wikiLinkExtension(links)] })
  const html = marked.parse(source, { async: false })
  return sanitizeHtml(html, sanitizeOptions)
}
