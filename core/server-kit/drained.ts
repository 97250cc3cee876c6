import type { EventEmitter } from 'node:events'

/**
 * Resolves once `stream` can take more bytes (`'drain'`) or will take none
 * (`'close'`): what a writer waits for after `write()` returned false, so a
 * slow reader holds the body back instead of filling memory.
 *
 * @example
 * if (!res.write(chunk)) await drained(res)
 */
export function drained(stream: Pick<EventEmitter, 'once' | 'off'>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.once('drain', done)
    stream.once('close', done)
  })
}
