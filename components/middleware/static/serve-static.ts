import { constants as fsConstants, type Stats } from 'node:fs'
import { type FileHandle, open, realpath } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { Readable } from 'node:stream'
import { appendVary, type Middleware, negotiateEncoding, NotFoundError } from '../../../core/index.js'
import { etagFor, ifRangeAllows, isFresh, preconditionsHold } from './conditional.js'
import { contentTypeFor } from './content-types.js'
import { StaticPreconditionFailed, StaticRangeNotSatisfiable } from './errors.js'
import type { ResolvedStaticOptions } from './options.js'
import { parseRange } from './range.js'
import { resolveRequestPath } from './request-path.js'

/** Sibling suffixes for precompressed files, by content coding, in order of preference. */
const variants = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
] as const

// O_NOFOLLOW: the last path component must not have become a symlink since realpath() looked.
const openFlags = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0)

interface OpenFile {
  handle: FileHandle
  stats: Stats
}

/**
 * The static-files middleware: answers GET and HEAD under `prefix` from the
 * files under `root`, streamed from disk. The component `static` wraps this.
 *
 * @example
 * const mw = createStatic({ root: 'public', prefix: '/static', index: 'index.html', maxAge: 0, immutable: false, precompressed: true, fallthrough: true })
 */
export function createStatic(options: ResolvedStaticOptions): Middleware {
  const prefix = options.prefix.replace(/\/+$/, '')
  const rootPath = resolve(options.root)
  let realRoot: Promise<string> | undefined
  const cacheControl =
    options.cacheControl ?? `public, max-age=${options.maxAge}${options.immutable ? ', immutable' : ''}`

  /** The real path of a file under the root, or undefined when it is missing, hidden, or (through a symlink) outside. */
  const locate = async (root: string, path: string): Promise<string | 'outside' | undefined> => {
    let real: string
    try {
      real = await realpath(path)
    } catch {
      return undefined
    }
    const inside = relative(root, real)
    if (inside.startsWith('..') || isAbsolute(inside)) return 'outside'
    if (inside.split(sep).some((part) => part.startsWith('.'))) return undefined
    return real
  }

  const openFile = async (real: string): Promise<OpenFile | undefined> => {
    let handle: FileHandle
    try {
      handle = await open(real, openFlags)
    } catch {
      return undefined
    }
    const stats = await handle.stat()
    return { handle, stats }
  }

  return async function serveStatic(ctx, next) {
    const method = ctx.request.method
    const target = resolveRequestPath(ctx.path, prefix)
    if (target.kind === 'outside') return next()
    if (target.kind === 'refused') throw new NotFoundError()
    const miss = (): Promise<Response> => {
      if (options.fallthrough) return next()
      throw new NotFoundError()
    }
    if ((method !== 'GET' && method !== 'HEAD') || target.kind === 'hidden') return miss()

    realRoot ??= realpath(rootPath)
    const root = await realRoot
    let real = await locate(root, join(root, ...target.segments))
    if (real === 'outside') throw new NotFoundError()
    if (real === undefined) return miss()
    let file = await openFile(real)
    if (!file) return miss()

    if (file.stats.isDirectory()) {
      await file.handle.close()
      if (options.index === false) return miss()
      const index = await locate(root, join(real, options.index))
      if (index === 'outside') throw new NotFoundError()
      if (index === undefined) return miss()
      // Where the router ignores trailing slashes, ctx.path never has one and `/docs/` would come back as `/docs`: serve the index.
      if (!target.directory && !ctx.pathRules.ignoreTrailingSlash) {
        // `/docs` -> `/docs/`, so relative links in the index page resolve under it.
        const location = `${ctx.path}/`.replace(/^\/+/, '/')
        const query = new URL(ctx.request.url).search
        return new Response(null, { status: 301, headers: { location: location + query } })
      }
      real = index
      file = await openFile(real)
      if (!file) return miss()
    } else if (target.directory) {
      await file.handle.close()
      return miss()
    }
    if (!file.stats.isFile()) {
      await file.handle.close()
      return miss()
    }

    const headers = new Headers({ 'content-type': contentTypeFor(real), 'accept-ranges': 'bytes' })
    if (cacheControl !== false) headers.set('cache-control', cacheControl)
    let coding: string | undefined
    if (options.precompressed) {
      const available = new Map<string, OpenFile>()
      for (const variant of variants) {
        const sibling = await locate(root, real + variant.suffix)
        if (typeof sibling !== 'string') continue
        const opened = await openFile(sibling)
        if (opened?.stats.isFile()) available.set(variant.coding, opened)
        else await opened?.handle.close()
      }
      if (available.size > 0) {
        appendVary(headers, 'Accept-Encoding')
        coding = negotiateEncoding(ctx.request.headers.get('accept-encoding'), [...available.keys()])
        for (const [c, opened] of available) {
          if (c === coding) {
            await file.handle.close()
            file = opened
          } else await opened.handle.close()
        }
        if (coding) headers.set('content-encoding', coding)
      }
    }
    return respond(ctx.request, file, headers, coding)
  }
}

async function respond(request: Request, file: OpenFile, headers: Headers, coding: string | undefined): Promise<Response> {
  const { handle, stats } = file
  const etag = etagFor(stats, coding)
  const lastModified = new Date(Math.floor(stats.mtimeMs / 1000) * 1000).toUTCString()
  headers.set('etag', etag)
  headers.set('last-modified', lastModified)

  if (!preconditionsHold(request, etag, stats.mtimeMs)) {
    await handle.close()
    throw StaticPreconditionFailed('If-Match or If-Unmodified-Since does not hold for the current file.', {
      headers: { etag, 'last-modified': lastModified },
    })
  }
  if (isFresh(request, etag, stats.mtimeMs)) {
    await handle.close()
    for (const name of ['content-type', 'content-encoding', 'accept-ranges']) headers.delete(name)
    return new Response(null, { status: 304, headers })
  }

  let start = 0
  let end = stats.size - 1
  let status = 200
  const range = ifRangeAllows(request, etag, lastModified) ? parseRange(request.headers.get('range'), stats.size) : undefined
  if (range === 'unsatisfiable') {
    await handle.close()
    throw StaticRangeNotSatisfiable(`The requested range is outside the file (${stats.size} bytes).`, {
      headers: { 'content-range': `bytes */${stats.size}` },
    })
  }
  if (range) {
    ;({ start, end } = range)
    status = 206
    headers.set('content-range', `bytes ${start}-${end}/${stats.size}`)
  }
  headers.set('content-length', String(Math.max(0, end - start + 1)))

  if (request.method === 'HEAD' || stats.size === 0) {
    await handle.close()
    return new Response(null, { status, headers })
  }
  // Streamed: the file is read as the client takes it, never held whole in memory.
  const stream = handle.createReadStream({ start, end, autoClose: true })
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers })
}
