/** Test helpers for the body middleware: raw multipart bodies and request bodies streamed without a length. */

export type Part = { name: string; value: string } | { name: string; filename: string; type?: string; content: string | Uint8Array }

const encoder = new TextEncoder()

/** A multipart/form-data body, byte for byte, so tests can also send broken ones. */
export function multipart(parts: readonly Part[], boundary = 'dovetail-boundary', close = true): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = []
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`))
    } else {
      chunks.push(
        encoder.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
      )
      chunks.push(typeof part.content === 'string' ? encoder.encode(part.content) : part.content)
      chunks.push(encoder.encode('\r\n'))
    }
  }
  if (close) chunks.push(encoder.encode(`--${boundary}--\r\n`))
  return new Uint8Array(Buffer.concat(chunks))
}

/**
 * A body handed out chunk by chunk only as it is pulled, with no length; `pulled()`
 * says how many bytes the server asked for, to show it stopped reading early.
 */
export function streamed(bytes: Uint8Array, chunkSize = 16 * 1024): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let offset = 0
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.byteLength) return controller.close()
        controller.enqueue(bytes.slice(offset, offset + chunkSize))
        offset += chunkSize
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, pulled: () => Math.min(offset, bytes.byteLength) }
}

/** A POST whose body is a stream (no Content-Length unless given). */
export function postStream(url: string, stream: ReadableStream<Uint8Array>, headers: Record<string, string>): Request {
  return new Request(url, { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit)
}
