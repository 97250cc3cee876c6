/**
 * What the validators need to stand in front of a response body without
 * changing what a server sees: a reader that locks the body only when first
 * read, and readers (`arrayBuffer()`, `text()`, …) that read through the
 * stand-in instead of around it.
 */

/** The ways a server reads a response body whole. */
const readers = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const

/** A reader of `source` that takes the lock on the first read: until then, `source` stays usable as it was. */
export function lazyReader(source: ReadableStream<Uint8Array>): { read(): Promise<ReadableStreamReadResult<Uint8Array>>; cancel(reason?: unknown): Promise<void> } {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  return {
    read: () => (reader ??= source.getReader()).read(),
    cancel: (reason) => (reader ? reader.cancel(reason) : source.cancel(reason)),
  }
}

/** Shadow the response's readers on this one object so they read `stream()`, the stand-in for its body. */
export function shadowReaders(response: Response, stream: () => ReadableStream<Uint8Array>): void {
  for (const name of readers) {
    if (typeof (response as unknown as Record<string, unknown>)[name] !== 'function') continue
    Object.defineProperty(response, name, {
      configurable: true,
      writable: true,
      value: () => {
        // The content type matters to blob() and formData(); a copy carries it.
        const type = response.headers.get('content-type')
        const copy = new Response(stream(), type ? { headers: { 'content-type': type } } : {})
        return (copy[name] as () => Promise<unknown>)()
      },
    })
  }
}
