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
 * Decode a request path, in the core's normal form (`ctx.path`, see
 * `normalizePath`), into segments under the root, refusing what could reach
 * outside it on a file system.
 *
 * The normal form already has no dot segments (also encoded), no malformed
 * escapes, no control characters and no raw backslash: requests with those
 * are answered 400 before any middleware runs. What is refused here is about
 * files: a decoded segment that is `.` or `..`, holds a separator (`%2F`,
 * `%5C`) or NUL, is absolute (`C:` on Windows), or is empty (`//etc/passwd`).
 * Given a raw, unnormalised path it still refuses rather than throws.
 *
 * @example
 * resolveRequestPath('/static/css/site.css', '/static') // { kind: 'file', segments: ['css', 'site.css'], directory: false }
 * resolveRequestPath('/static/..%2Fsecret', '/static') // { kind: 'refused' }
 */
export function resolveRequestPath(path: string, prefix: string): RequestPath {
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return { kind: 'outside' }
  const rest = path.slice(prefix.length)
  if (rest === '' || rest === '/') return { kind: 'file', segments: [], directory: rest === '/' }
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
      // Never for ctx.path (its escapes are well-formed UTF-8); a caller's raw path gets a refusal, not an exception.
      return { kind: 'refused' }
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment) || isAbsolute(segment)) return { kind: 'refused' }
    if (segment.startsWith('.')) hidden = true
    segments.push(segment)
  }
  // Refusal wins over hiding: `/.git/..%2Fx` is an attack, not a dotfile.
  return hidden ? { kind: 'hidden' } : { kind: 'file', segments, directory }
}
