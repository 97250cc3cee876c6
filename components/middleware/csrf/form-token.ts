import type { Context } from '../../../core/index.js'
import { hasBodyParser, readBody } from '../body/index.js'

/**
 * The CSRF token from a form body. With the body middleware in the list
 * (before csrf), the form is parsed once by it, within its limits, and the
 * handler reads the same parse with `readForm(ctx)`. Without it, only the
 * first `maxBytes` of a clone of the request are read, so the handler still
 * gets the whole body: browsers send fields in page order and `csrfField()`
 * goes at the top of a form, so the token is near the start even of an upload.
 * That path is the dearer one (the clone is a second request object and a tee
 * of the body stream), which is why the fullstack preset lists body first.
 */
export async function formToken(ctx: Context, field: string, maxBytes: number): Promise<string | undefined> {
  const request = ctx.request
  const type = request.headers.get('content-type') ?? ''
  const mime = type.split(';')[0]!.trim().toLowerCase()
  if (mime !== 'application/x-www-form-urlencoded' && mime !== 'multipart/form-data') return undefined
  const parsed = parsedByBodyMiddleware(ctx)
  if (parsed) {
    const body = await parsed
    return body.type === 'form' ? body.form.fields[field] : undefined
  }
  if (!request.body || request.bodyUsed) return undefined
  const { text, complete } = await readPrefix(request.clone(), maxBytes)
  return mime === 'multipart/form-data' ? multipartField(text, boundaryOf(type), field) : urlencodedField(text, complete, field)
}

/** The body middleware's (memoized) parse of this request, or `undefined` when it is not in the list (or comes later). */
function parsedByBodyMiddleware(ctx: Context): ReturnType<typeof readBody> | undefined {
  return hasBodyParser(ctx) ? readBody(ctx) : undefined
}

async function readPrefix(request: Request, maxBytes: number): Promise<{ text: string; complete: boolean }> {
  const reader = request.body!.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let complete = false
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read()
      if (done) {
        complete = true
        break
      }
      chunks.push(value)
      size += value.byteLength
    }
  } finally {
    // Cancels only this branch of the tee, so it stops queueing what the handler reads. Not awaited:
    // a tee branch's cancel settles only once the other branch is done too.
    if (!complete) void reader.cancel().catch(() => {})
  }
  // latin1 keeps a cut multi-byte character from failing the decode; the token itself is ASCII.
  return { text: Buffer.concat(chunks).subarray(0, maxBytes).toString('latin1'), complete }
}

function urlencodedField(text: string, complete: boolean, field: string): string | undefined {
  // A cut-off last pair could hold half a token: use only pairs known to be whole.
  const whole = complete ? text : text.slice(0, text.lastIndexOf('&') + 1)
  return new URLSearchParams(whole).get(field) ?? undefined
}

const boundaryOf = (type: string): string | undefined => /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type)?.slice(1).find(Boolean)

function multipartField(text: string, boundary: string | undefined, field: string): string | undefined {
  if (!boundary) return undefined
  const delimiter = `--${boundary}`
  const parts = text.split(delimiter)
  // The last piece may be cut off, so it is never used: a field is read only when the next delimiter follows it.
  for (const part of parts.slice(1, -1)) {
    const split = part.indexOf('\r\n\r\n')
    if (split < 0) continue
    const headers = part.slice(0, split)
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? ''
    if (/\bfilename\*?=/i.test(disposition)) continue
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? /\bname=([^;\s]+)/i.exec(disposition)?.[1]
    if (name === field) return part.slice(split + 4).replace(/\r\n$/, '')
  }
  return undefined
}
