import { rm } from 'node:fs/promises'
import type { Context } from '../../../core/index.js'
import { BodyAlreadyRead, BodyNoMiddleware, tooLarge, unsupportedEncoding, unsupportedType } from './errors.js'
import type { FormBody } from './form-body.js'
import { bodyTypeOf, isUtf8, parseMediaType } from './media-type.js'
import type { BodyType, ResolvedBodyOptions } from './options.js'
import { parseJson } from './parse-json.js'
import { parseMultipart } from './parse-multipart.js'
import { parseUrlencoded } from './parse-urlencoded.js'
import { assertDeclaredLength, readLimited } from './read-limited.js'

/** A request body as the body middleware parsed it. */
export type ParsedBody =
  | { type: 'json'; value: unknown }
  /** urlencoded or multipart. */
  | { type: 'form'; form: FormBody }
  /** No body: a GET, or an empty body without a Content-Type. */
  | { type: 'none' }

/** @internal One request's parse (memoized) and the temp files to remove afterwards. */
export class BodyState {
  parsed: Promise<ParsedBody> | undefined
  /** Set when the body is multipart: only then can uploads leave temp files behind. */
  savesFiles = false
  readonly tempFiles = new Set<string>()
  constructor(readonly options: ResolvedBodyOptions) {}

  /**
   * Wait for a parse in progress, then delete temp files nobody moved away.
   * `undefined` when there can be none (no multipart body was parsed), so the
   * middleware skips an await on nearly every request.
   */
  cleanup(): Promise<void> | undefined {
    if (!this.savesFiles) return undefined
    return this.#removeTempFiles()
  }

  async #removeTempFiles(): Promise<void> {
    await this.parsed?.catch(() => {})
    await Promise.all([...this.tempFiles].map((path) => rm(path, { force: true })))
    this.tempFiles.clear()
  }
}

/**
 * Where a request's BodyState is kept: on its `ctx.state`, under a symbol no
 * one else knows. Not a WeakMap keyed on the context: an entry per request is
 * ephemeron work for every garbage collection.
 */
const bodyStateKey = Symbol('dovetail.body')

type WithBodyState = { [bodyStateKey]?: BodyState }

/** @internal Called by the middleware for each request. */
export const attachBodyState = (ctx: Context, state: BodyState): void => {
  ;(ctx.state as WithBodyState)[bodyStateKey] = state
}

const bodyStateOf = (ctx: Context): BodyState | undefined => (ctx.state as WithBodyState)[bodyStateKey]

/**
 * Whether the body middleware has already run for this request (is listed
 * before the caller), so `readBody(ctx)` would parse rather than refuse.
 * Middleware that reads a body only if the body middleware does (csrf) asks
 * this instead of catching `DOVETAIL_ERR_BODY_NO_MIDDLEWARE` on every request.
 *
 * @example
 * const form = hasBodyParser(ctx) ? await readForm(ctx) : undefined
 */
export const hasBodyParser = (ctx: Context): boolean => bodyStateOf(ctx) !== undefined

const acceptedTypes: Record<BodyType, string> = {
  json: 'application/json',
  urlencoded: 'application/x-www-form-urlencoded',
  multipart: 'multipart/form-data',
}

/**
 * The request body, parsed by its Content-Type: JSON, or a form (urlencoded or
 * multipart with files). Parsed once, on the first call, and remembered.
 * Throws an `HttpError`: 400 for a malformed body, 413 past a limit, 415 for a
 * Content-Type the middleware does not read.
 *
 * @example
 * r.post('/items', async (ctx) => {
 *   const body = await readBody(ctx)
 *   if (body.type === 'json') return ctx.json({ got: body.value })
 *   if (body.type === 'form') return ctx.text(`title: ${body.form.fields.title}`)
 *   return ctx.text('no body', { status: 400 })
 * })
 */
export function readBody(ctx: Context): Promise<ParsedBody> {
  const state = stateOf(ctx)
  state.parsed ??= parse(ctx.request, state)
  return state.parsed
}

/**
 * The JSON body. Any other Content-Type (or none) is a 415 before a byte is read.
 *
 * @example
 * r.post('/api/items', async (ctx) => {
 *   const item = await readJson<{ name: string }>(ctx)
 *   return ctx.json({ created: item.name }, { status: 201 })
 * })
 */
export async function readJson<T = unknown>(ctx: Context): Promise<T> {
  expect(ctx, ['json'])
  const body = await readBody(ctx)
  return (body as { value: T }).value
}

/**
 * The form body, urlencoded or multipart. Any other Content-Type (or none) is a
 * 415 before a byte is read.
 *
 * @example
 * r.post('/upload', async (ctx) => {
 *   const form = await readForm(ctx)
 *   await form.file('photo')?.moveTo(`/srv/photos/${crypto.randomUUID()}`)
 *   return ctx.redirect('/photos', 303)
 * })
 */
export async function readForm(ctx: Context): Promise<FormBody> {
  expect(ctx, ['urlencoded', 'multipart'])
  const body = await readBody(ctx)
  return (body as { form: FormBody }).form
}

function stateOf(ctx: Context): BodyState {
  const state = bodyStateOf(ctx)
  if (!state) {
    throw BodyNoMiddleware(
      "readBody/readJson/readForm needs the body middleware: add 'body' (or body({...}) from 'dovetailjs/components/middleware/body') to components.middleware.",
    )
  }
  return state
}

/** Refuse, by Content-Type alone, a body the caller does not want. */
function expect(ctx: Context, wanted: readonly BodyType[]): void {
  const enabled = stateOf(ctx).options.types
  const allowed = wanted.filter((t) => enabled.includes(t))
  const header = ctx.request.headers.get('content-type')
  const type = header === null ? undefined : bodyTypeOf(parseMediaType(header).essence)
  if (type === undefined || !allowed.includes(type)) {
    throw unsupportedType(header, (allowed.length ? allowed : wanted).map((t) => acceptedTypes[t]))
  }
}

/**
 * Whether a request declares a body of a type this middleware reads (used by
 * eager mode). Decided from the method and headers only: touching
 * `request.body` would make the node adapter set up a body stream for nothing.
 */
export function hasReadableBody(request: Request, options: ResolvedBodyOptions): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false
  const header = request.headers.get('content-type')
  if (header === null) return false
  const type = bodyTypeOf(parseMediaType(header).essence)
  return type !== undefined && options.types.includes(type)
}

/** A body is certainly absent when the headers say so; only otherwise is `request.body` asked. */
function isBodyless(request: Request): boolean {
  const length = request.headers.get('content-length')
  if (length !== null) return length.trim() === '0'
  if (request.headers.has('transfer-encoding')) return false
  return request.method === 'GET' || request.method === 'HEAD' || request.body === null
}

async function parse(request: Request, state: BodyState): Promise<ParsedBody> {
  const { options } = state
  const header = request.headers.get('content-type')
  const accepted = options.types.map((t) => acceptedTypes[t])
  if (header === null) {
    if (isBodyless(request)) return { type: 'none' }
    throw unsupportedType(null, accepted)
  }
  const media = parseMediaType(header)
  const type = bodyTypeOf(media.essence)
  if (type === undefined || !options.types.includes(type)) throw unsupportedType(media.essence, accepted)
  if (type !== 'multipart' && !isUtf8(media.params.charset)) {
    throw unsupportedType(`${media.essence}; charset=${media.params.charset}`, [`${media.essence}; charset=utf-8`])
  }
  const coding = request.headers.get('content-encoding')
  if (coding !== null && coding.trim().toLowerCase() !== 'identity') throw unsupportedEncoding(coding)
  const { limits } = options
  // Before anything touches request.body: a body refused by its declared length
  // is then never set up, and the node server discards it as it does any unread body.
  const limit = type === 'multipart' ? limits.multipart : limits.body
  assertDeclaredLength(request, limit, () => tooLarge(limit, type === 'multipart' ? 'limits.multipart' : 'limits.body'))
  if (request.bodyUsed) {
    throw BodyAlreadyRead(
      'The request body was already read (request.json(), request.formData(), a reader) before readBody: read it only through readBody/readJson/readForm.',
    )
  }
  if (type === 'multipart') {
    state.savesFiles = true
    return { type: 'form', form: await parseMultipart(request, header, { limits, uploads: options.uploads, tempFiles: state.tempFiles }) }
  }
  const bytes = await readLimited(request, limits.body, () => tooLarge(limits.body, 'limits.body'))
  if (type === 'json') return { type: 'json', value: parseJson(bytes, options.protoKeys) }
  return { type: 'form', form: parseUrlencoded(bytes, limits) }
}
