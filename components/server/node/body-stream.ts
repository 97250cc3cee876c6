import type { IncomingMessage, ServerResponse } from 'node:http'

/** Bytes the stream holds before it stops reading from the socket. */
const highWaterMark = 64 * 1024

/**
 * A request body as a web stream, read from node with backpressure.
 *
 * Why not `Readable.toWeb(req)`: cancelling its stream destroys the socket, so
 * a handler that refuses a body (a 413) could not deliver its answer; and once
 * it has started reading, node stops draining a body nobody finishes, so a
 * client still sending blocks on a full TCP window, never reads the response,
 * and is reset at the keep-alive timeout. Here both cancelling and answering
 * before the body is read drain and drop the rest, as node does with a body
 * nobody touched; `requestTimeout` bounds how long that may take.
 */
export function bodyStream(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  let settled = false
  let onData: (chunk: Buffer) => void = () => {}
  const discardRest = () => {
    req.off('data', onData)
    req.resume() // flowing with no listener: node reads and drops
  }
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const settle = (done: () => void) => {
          if (settled) return
          settled = true
          done()
        }
        onData = (chunk) => {
          if (settled) return
          controller.enqueue(chunk)
          if ((controller.desiredSize ?? 0) <= 0) req.pause()
        }
        req.on('data', onData)
        req.once('end', () => settle(() => controller.close()))
        req.once('error', (error) => settle(() => controller.error(error)))
        req.once('close', () => {
          if (!req.complete) settle(() => controller.error(new Error('The client closed the connection before sending the whole body')))
        })
        res.once('finish', () => {
          if (req.complete) return
          settle(() => controller.error(new Error('The response was sent before the request body was read; the rest of the body was discarded')))
          discardRest()
        })
      },
      pull() {
        req.resume()
      },
      cancel() {
        settled = true
        discardRest()
      },
    },
    { highWaterMark, size: (chunk) => chunk.byteLength },
  )
}

/**
 * The whole body, collected from the node message with no web stream (what
 * the lazy request offers to `readBodyBytes`): one chunk as it came, several
 * joined. Resolves `undefined` past `limit`, and then, as when the web stream
 * is cancelled, drops the rest as it arrives, so the answer (a 413) reaches
 * the client. Fails as the stream does when the client goes away or the
 * response is sent first. `undefined` (no promise) when the message was
 * already read to its end by someone else: the caller then uses the stream.
 */
export function collectBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Uint8Array | undefined> | undefined {
  if (req.readableEnded || req.destroyed) return undefined
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const stop = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('close', onClose)
      res.off('finish', onFinish)
    }
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength
      if (total > limit) {
        stop()
        req.resume() // flowing with no listener: node reads and drops
        resolve(undefined)
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      stop()
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total))
    }
    const onError = (error: Error) => {
      stop()
      reject(error)
    }
    const onClose = () => {
      if (req.complete) return
      stop()
      reject(new Error('The client closed the connection before sending the whole body'))
    }
    const onFinish = () => {
      if (req.complete) return
      stop()
      req.resume()
      reject(new Error('The response was sent before the request body was read; the rest of the body was discarded'))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('close', onClose)
    res.on('finish', onFinish)
    // A 'data' listener starts the flow only if nobody paused the message.
    req.resume()
  })
}

/** A stream that reports itself read (disturbed), for `request.body` after the body was collected. */
export function usedBodyStream(): ReadableStream<Uint8Array> {
  const stream = new ReadableStream<Uint8Array>()
  void stream.cancel()
  return stream
}
