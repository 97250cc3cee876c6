import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FileInfo } from 'busboy'
import { fieldTooLarge, fileTooLarge, malformed, tooLarge, tooManyFields, tooManyFiles } from './errors.js'
import { FormBody } from './form-body.js'
import type { ResolvedBodyOptions } from './options.js'
import { assertDeclaredLength, discardRest } from './read-limited.js'
import { UploadedFile } from './uploaded-file.js'

export interface MultipartSettings {
  limits: ResolvedBodyOptions['limits']
  uploads: ResolvedBodyOptions['uploads']
  /** Every temp file created for the request, so the request's cleanup can remove what is left. */
  tempFiles: Set<string>
}

/**
 * Parse a `multipart/form-data` body with busboy, streaming: the request body is
 * fed to the parser chunk by chunk as it arrives, and each file goes straight to
 * a temp file (or to memory), so no body is ever held whole.
 *
 * Any limit breached, or a broken body, stops reading at once, destroys the
 * file streams in flight and deletes every temp file this body created before
 * the error is thrown: a refused upload leaves nothing on disk.
 *
 * The body is fed by hand rather than through `Readable.fromWeb(...).pipe()`,
 * so that stopping early drains the rest (see `discardRest`) instead of
 * destroying the stream: on node that would destroy the socket, and the client
 * would never get the 413.
 */
export async function parseMultipart(request: Request, contentType: string, settings: MultipartSettings): Promise<FormBody> {
  const { limits, uploads } = settings
  assertDeclaredLength(request, limits.multipart, () => tooLarge(limits.multipart, 'limits.multipart'))
  const { default: busboy } = await import('busboy')
  let parser: ReturnType<typeof busboy>
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      limits: { fields: limits.fields, fieldSize: limits.fieldSize, files: limits.files, fileSize: limits.fileSize },
    })
  } catch (error) {
    throw malformed(`${(error as Error).message} (is the boundary parameter missing from Content-Type?)`, error)
  }

  const entries: Array<[string, string]> = []
  // Filled as each file finishes, in the order the files arrived (writes may finish out of order).
  const files: Array<UploadedFile | undefined> = []
  const created: string[] = []
  const writes: Promise<void>[] = []
  const inFlight = new Set<Readable | Writable>()
  let failure: unknown
  let rejectFailed!: (error: unknown) => void
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject))
  failed.catch(() => {})
  const fail = (error: unknown): void => {
    if (failure !== undefined) return
    failure = error
    for (const stream of inFlight) stream.destroy()
    rejectFailed(error)
  }

  // busboy passes a part whose Content-Disposition has no name (or name="") with an undefined
  // name; a browser never sends one, and it would become an entry no form field can read.
  const nameless = () => malformed('a multipart part has no name (every part needs Content-Disposition: form-data; name="...")')
  parser.on('field', (name, value, info) => {
    if (!name) fail(nameless())
    else if (info.nameTruncated || info.valueTruncated) fail(fieldTooLarge(name, limits.fieldSize))
    else entries.push([name, value])
  })
  parser.on('fieldsLimit', () => fail(tooManyFields(limits.fields)))
  parser.on('filesLimit', () => fail(tooManyFiles(limits.files)))
  parser.on('error', (error) => fail(malformed(`the multipart body is broken (${(error as Error).message})`, error)))
  parser.on('file', (field, stream, info) => {
    if (!field) fail(nameless())
    // An empty file input (no file chosen) arrives with an empty filename: not an upload.
    if (failure !== undefined || !info.filename) {
      stream.resume()
      return
    }
    stream.once('limit', () => fail(fileTooLarge(field, limits.fileSize)))
    const slot = files.push(undefined) - 1
    const write = uploads.storage === 'disk' ? toDisk(slot, field, stream, info) : toMemory(slot, field, stream, info)
    writes.push(write.catch((error) => fail(failure ?? malformed('an uploaded file could not be stored', error))))
  })
  const closed = once(parser, 'close')
  closed.catch(() => {})

  async function toDisk(slot: number, field: string, stream: Readable & { truncated?: boolean }, info: FileInfo): Promise<void> {
    const path = join(uploads.dir, `dovetail-upload-${randomUUID()}`)
    created.push(path)
    settings.tempFiles.add(path)
    // 'wx': never overwrite; 0o600: other local users cannot read uploads.
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600 })
    inFlight.add(stream).add(out)
    try {
      await pipeline(stream, out)
    } finally {
      inFlight.delete(stream)
      inFlight.delete(out)
      // The file must be closed before a failed parse deletes it.
      if (!out.closed) await once(out, 'close').catch(() => {})
    }
    if (!stream.truncated) files[slot] = new UploadedFile({ field, filename: info.filename!, type: info.mimeType, size: out.bytesWritten, path })
  }

  async function toMemory(slot: number, field: string, stream: Readable & { truncated?: boolean }, info: FileInfo): Promise<void> {
    inFlight.add(stream)
    const chunks: Buffer[] = []
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer)
    } finally {
      inFlight.delete(stream)
    }
    const data = Buffer.concat(chunks)
    if (!stream.truncated) files[slot] = new UploadedFile({ field, filename: info.filename!, type: info.mimeType, size: data.byteLength, data })
  }

  const body = request.body
  if (body) {
    const reader = body.getReader()
    let total = 0
    try {
      while (failure === undefined) {
        const { done, value } = await Promise.race([reader.read(), failed])
        if (done) break
        total += value.byteLength
        if (total > limits.multipart) fail(tooLarge(limits.multipart, 'limits.multipart'))
        else if (!parser.write(value)) await Promise.race([once(parser, 'drain'), failed])
      }
    } catch (error) {
      fail(error)
    }
    if (failure === undefined) reader.releaseLock()
    else discardRest(reader)
  }
  if (failure === undefined) {
    parser.end()
    await Promise.race([closed, failed]).catch(() => {})
  }
  await Promise.allSettled(writes)
  if (failure !== undefined) {
    await Promise.all(created.map((path) => rm(path, { force: true })))
    for (const path of created) settings.tempFiles.delete(path)
    throw failure
  }
  return new FormBody(entries, files.filter((f): f is UploadedFile => f !== undefined))
}
