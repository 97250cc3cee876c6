import { diffLines } from 'diff'
import { escapeHtml, type SafeHtml, safeHtml } from 'dovetailjs'

/** How many unchanged lines to show around each change; longer unchanged stretches fold into one marker. */
const context = 3

/** Counts for the summary above a diff. */
export interface DiffStats {
  added: number
  removed: number
}

export interface RevisionDiff {
  /** The diff as HTML: `<ins>` for added lines, `<del>` for removed ones, every line escaped. */
  html: SafeHtml
  stats: DiffStats
}

type Line = { kind: 'add' | 'del' | 'same'; text: string }

/**
 * A line-by-line diff of two revisions' text, for the history page. The
 * text is the authors' raw Markdown, so each line is escaped before it is
 * wrapped: a `<script>` in a revision shows as text in its diff.
 *
 * @example
 * diffRevisions('one\ntwo\n', 'one\n2\n').html.html
 * // '<pre class="diff"><span class="same">  one</span><del>- two</del><ins>+ 2</ins></pre>'
 */
export function diffRevisions(before: string, after: string): RevisionDiff {
  const lines: Line[] = []
  for (const change of diffLines(normalize(before), normalize(after))) {
    const kind = change.added ? 'add' : change.removed ? 'del' : 'same'
    for (const text of change.value.replace(/\n$/, '').split('\n')) lines.push({ kind, text })
  }
  const stats = { added: lines.filter((l) => l.kind === 'add').length, removed: lines.filter((l) => l.kind === 'del').length }
  if (stats.added === 0 && stats.removed === 0) return { html: safeHtml('<p class="nochange">The two revisions have the same text.</p>'), stats }
  const shown = lines.map((line, i) => line.kind !== 'same' || lines.slice(Math.max(0, i - context), i + context + 1).some((l) => l.kind !== 'same'))
  // Folding a single line would save nothing: show it instead.
  for (let i = 0; i < lines.length; i++) if (!shown[i] && shown[i - 1] !== false && shown[i + 1] !== false) shown[i] = true
  const out: string[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!shown[i]) {
      let skipped = 0
      while (i < lines.length && !shown[i]) {
        skipped++
        i++
      }
      out.push(`<span class="fold">… ${skipped} unchanged line${skipped === 1 ? '' : 's'} …</span>`)
      i--
      continue
    }
    const { kind, text } = lines[i]!
    const escaped = escapeHtml(text)
    out.push(kind === 'add' ? `<ins>+ ${escaped}</ins>` : kind === 'del' ? `<del>- ${escaped}</del>` : `<span class="same">  ${escaped}</span>`)
  }
  // Each line is a block of its own (see wiki.css), so no newline between them: it would show as an empty line.
  return { html: safeHtml(`<pre class="diff">${out.join('')}</pre>`), stats }
}

/** Browsers send form text with CRLF; compare lines, not line endings, and make the last line end like the others. */
const normalize = (text: string): string => {
  const unix = text.replace(/\r\n?/g, '\n')
  return unix.endsWith('\n') || unix === '' ? unix : `${unix}\n`
}
