import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One line of a V8 stack trace. */
export interface StackFrame {
  /** The function, `<anonymous>` when V8 names none. */
  fn: string
  /** An absolute path, or the location as V8 wrote it (`node:internal/…`). */
  file: string
  line: number
  column: number
  /** In the app: under its root, and not in node_modules, node's internals or Dovetail itself. */
  app: boolean
}

/** A few lines of source around a frame's line. */
export interface SourceContext {
  /** The 1-based number of `lines[0]`. */
  start: number
  lines: string[]
}

// "    at fn (file:line:col)", "    at async fn (file:line:col)", "    at file:line:col"
const framePattern = /^\s*at (?:async )?(?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/

/**
 * The frames of an error's stack, most recent first. Lines V8 writes for
 * native or eval code, which carry no file position, are left out.
 *
 * @example
 * parseStack(new Error('x').stack, process.cwd())[0] // { fn: 'handler', file: '/app/routes.ts', line: 12, column: 9, app: true }
 */
export function parseStack(stack: string | undefined, appRoot: string, limit = 50): StackFrame[] {
  const frames: StackFrame[] = []
  for (const text of (stack ?? '').split('\n').slice(1)) {
    const match = framePattern.exec(text)
    if (!match) continue
    const [, fn = '<anonymous>', location = '', line = '0', column = '0'] = match
    const file = location.startsWith('file://') ? safeFilePath(location) : location
    frames.push({ fn, file, line: Number(line), column: Number(column), app: isAppFile(file, appRoot) })
    if (frames.length === limit) break
  }
  return frames
}

function safeFilePath(url: string): string {
  try {
    return fileURLToPath(url)
  } catch {
    return url
  }
}

// Dovetail's own folders (core/ and components/ beside this component's folder, in sources and in dist/ alike).
const frameworkRoot = fileURLToPath(new URL('../../../', import.meta.url))
const frameworkDirs = [join(frameworkRoot, 'core') + sep, join(frameworkRoot, 'components') + sep]

const isInside = (file: string, dir: string): boolean => {
  const rel = relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

function isAppFile(file: string, appRoot: string): boolean {
  if (!isAbsolute(file) || !isInside(file, appRoot)) return false
  // Dovetail's frames (the pipeline, the middleware wrappers) are the same in every traceback: not the app's.
  if (frameworkDirs.some((dir) => file.startsWith(dir))) return false
  return !relative(appRoot, file).split(sep).includes('node_modules')
}

const maxSourceBytes = 2 * 1024 * 1024

/**
 * The lines around `line` in an app file, or `undefined` when the file cannot
 * be read (deleted, too large, not a file). Only called for app frames, and
 * only in development.
 *
 * @example
 * const [frame] = parseStack(error.stack, process.cwd())
 * sourceContext(frame, 3, new Map()) // { start: 9, lines: [ …7 lines, the 4th threw ] }
 */
export function sourceContext(frame: StackFrame, around: number, cache: Map<string, string[] | undefined>): SourceContext | undefined {
  if (!frame.app || around < 0) return undefined
  if (!cache.has(frame.file)) cache.set(frame.file, readLines(frame.file))
  const lines = cache.get(frame.file)
  if (!lines || frame.line < 1 || frame.line > lines.length) return undefined
  const start = Math.max(1, frame.line - around)
  return { start, lines: lines.slice(start - 1, Math.min(lines.length, frame.line + around)) }
}

function readLines(file: string): string[] | undefined {
  try {
    const stat = statSync(file)
    if (!stat.isFile() || stat.size > maxSourceBytes) return undefined
    return readFileSync(file, 'utf8').split(/\r?\n/)
  } catch {
    return undefined
  }
}
