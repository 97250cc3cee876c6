import type { Socket } from 'node:net'
import { drained } from './drained.js'

/**
 * A write function for a FastCGI or SCGI socket: everything written in one
 * turn of the event loop (a response's head and body, its closing records,
 * other requests' answers) leaves in one system call. The returned promise,
 * when there is one, means "wait before writing more". Whether the socket may
 * still be written to is the caller's to check.
 *
 * @example
 * const write = batchedWriter(socket)
 * await write(head)
 */
export function batchedWriter(socket: Socket): (bytes: Uint8Array) => void | Promise<void> {
  let corked = false
  return (bytes) => {
    if (!corked) {
      corked = true
      socket.cork()
      process.nextTick(() => {
        corked = false
        // After end() this does nothing: end() has uncorked the socket already.
        socket.uncork()
      })
    }
    if (socket.write(bytes)) return
    return drained(socket)
  }
}
