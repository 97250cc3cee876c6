import { isAbsolute } from 'node:path'

/** Where a request path leads, before the file system is asked. */
export type RequestPath =
  /** Not under the prefix: not this middleware's business. */
  | { kind: 'outside' }
  /** An attempt to leave the root, or a path no honest client sends: answer 404. */
  | { kind: 'refused' }
  /** Names a dotfile or a dot-folder: served as if it did not exist. */
  | { kind: 'hidden' }
  /** Decoded segments relative to the root; `directory` when the path ended in `/`. */
  | { kind: 'file'; segments: string[]; directory: boolean }

/**
 * Decode a raw (percent-encoded) request path into segments under the root,
 * refusing anything that could climb out of it.
 *
 * Checked on the raw path and on every decoded segment, so encodings do not
 * slip through: `..` and `.` (also as `%2e%2e`), `/` inside a segment (`%2f`),
 * backslashes (raw or `%5c`), NUL (`%00`), empty segments (`//etc/passwd`),
 * absolute segments, and malformed percent-encoding are all refused.
 *
 * @example
 * resolveRequestPath('/static/css/site.css', '/static') // { kind: 'file', segments: ['css', 'site.css'], directory: false }
 * resolveRequestPath('/static/%2e%2e/secret', '/static') // { kind: 'refused' }
 */
export function resolveRequestPath(rawPath: string, prefix: string): RequestPath {
  if (rawPath !== prefix && !rawPath.startsWith(`${prefix}/`)) return { kind: 'outside' }
  const rest = rawPath.slice(prefix.length)
  if (rest === '' || rest === '/') return { kind: 'file', segments: [], directory: rest === '/' }
  if (rest.includes('\\')) return { kind: 'refused' }
  const raw = rest.slice(1).split('/')
  const directory = raw[raw.length - 1] === ''
  if (directory) raw.pop()
  const segments: string[] = []
  let hidden = false
  for (const part of raw) {
    if (part === '') return { kind: 'refused' }
    let segment: string
    try {
      segment = decodeURIComponent(part)
    } catch {
      return { kind: 'refused' }
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment) || isAbsolute(segment)) return { kind: 'refused' }
    if (segment.startsWith('.')) hidden = true
    segments.push(segment)
  }
  // Refusal wins over hiding: `/.git/../x` is an attack, not a dotfile.
  return hidden ? { kind: 'hidden' } : { kind: 'file', segments, directory }
}
