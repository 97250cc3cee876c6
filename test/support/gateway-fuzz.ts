// What the SCGI and FastCGI fuzz tests (test/fuzz/scgi.fuzz.test.ts, fastcgi.fuzz.test.ts) share:
// byte edits of a valid stream, cutting it into chunks, writing it to a socket, the app they
// listen with, and watching for unhandled rejections.
import type { Socket } from 'node:net'
import fc from 'fast-check'
import { type Edit, edits, mutateBytes } from './mutations.js'
import type { FetchHandler } from 'dovetailjs'

/** Bytes a parser treats specially, more often than chance would pick them. */
const bytes = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0x01, 0x2c, 0x3a, 0x30, 0x39, 0x0a, 0x7f, 0x80, 0xff))

/** From 0 to `max` edits of a valid stream ({@link edits}), biased to the bytes the parsers care about. */
export const byteEdits = (max = 4): fc.Arbitrary<Edit[]> => fc.oneof(fc.constant<Edit[]>([]), edits(bytes, max))

/** `input` with the edits applied in order. */
export const applyEdits = (input: Buffer, list: readonly Edit[]): Buffer => Buffer.from(mutateBytes(input, list))

/** Cut points for {@link chunked}: any positions, taken modulo the length. */
export const cuts = fc.array(fc.nat(), { maxLength: 8 })

/** `input` cut at `points` (modulo its length) into consecutive chunks. */
export function chunked(input: Buffer, points: readonly number[]): Buffer[] {
  if (input.length === 0) return []
  const at = [...new Set(points.map((p) => p % input.length))].filter((p) => p > 0).sort((a, b) => a - b)
  return [0, ...at].map((start, i) => input.subarray(start, at[i] ?? input.length))
}

/** Write each chunk on its own turn of the event loop (so they tend to arrive apart), then optionally end our side. */
export async function writeChunks(socket: Socket, chunks: readonly Buffer[], end: boolean): Promise<void> {
  for (const chunk of chunks) {
    if (socket.destroyed) return
    socket.write(chunk)
    await new Promise((resolve) => setImmediate(resolve))
  }
  if (end && !socket.destroyed) socket.end()
}

/** What the fuzzed adapter handed the app. */
export interface AppRecord {
  /** Requests the app was called with. */
  calls: number
  /** Requests in its hands right now, and the most there ever were at once. */
  inFlight: number
  maxInFlight: number
  /** The URL of each request, in order. */
  urls: string[]
}

/**
 * A bare fetch handler (no Dovetail app, so only the adapter is under test):
 * reads the body when there is one, answers 200 `reached`, or 400 when the
 * body read fails (as the app's error handling would). `hold`, when given, is
 * awaited before answering.
 */
export function recordingHandler(record: AppRecord, hold?: () => Promise<void>): FetchHandler {
  return async (request) => {
    record.calls++
    record.urls.push(request.url)
    record.inFlight++
    record.maxInFlight = Math.max(record.maxInFlight, record.inFlight)
    try {
      if (hold) await hold()
      if (request.body) await request.arrayBuffer()
      return new Response('reached')
    } catch (error) {
      return new Response(`body refused: ${(error as { code?: string }).code ?? ''}`, { status: 400 })
    } finally {
      record.inFlight--
    }
  }
}

export const newRecord = (): AppRecord => ({ calls: 0, inFlight: 0, maxInFlight: 0, urls: [] })

/**
 * Collect the process's unhandled rejections while a property runs: an
 * adapter that drops a promise's failure must fail the property, not just
 * print a warning. Returns the list and a function that stops listening.
 */
export function watchUnhandledRejections(): { rejections: unknown[]; stop: () => void } {
  const rejections: unknown[] = []
  const listener = (reason: unknown) => void rejections.push(reason)
  process.on('unhandledRejection', listener)
  return { rejections, stop: () => void process.off('unhandledRejection', listener) }
}

/** C0 controls, NUL included, and DEL: what no path variable may hold. */
export const controlCharacter = /[\u0000-\u001f\u007f]/
