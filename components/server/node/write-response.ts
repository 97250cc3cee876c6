import type { ServerResponse } from 'node:http'
import { flatHeaders, lightResponseParts } from '../../../core/index.js'
import { drained } from '../../../core/server-kit/index.js'

/**
 * Write a fetch `Response` to a node response, streaming its body with
 * backpressure. A body already in memory is written synchronously and nothing
 * is returned; a streamed one returns the promise of the stream's end.
 */
export function writeResponse(response: Response, res: ServerResponse): Promise<void> | undefined {
  const light = lightResponseParts(response)
  if (light) {
    const headers = flatHeaders(light.headers)
    const body = light.body
    if (body !== null) headers.push('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength))
    res.writeHead(light.status, headers)
    res.end(body ?? undefined)
    return undefined
  }
  return writeStreamed(response, res)
}

async function writeStreamed(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, response.statusText || undefined, flatHeaders(response.headers))
  const body = response.body
  if (!body) {
    res.end()
    return
  }
  const reader = body.getReader()
  const cancel = () => void reader.cancel().catch(() => {})
  res.once('close', cancel)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (res.destroyed) return
      if (!res.write(value)) await drained(res)
    }
    res.end()
  } finally {
    res.off('close', cancel)
  }
}
