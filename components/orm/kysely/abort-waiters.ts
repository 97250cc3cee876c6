/**
 * One 'abort' listener per signal, however many waits hang on it. A request
 * that runs twenty queries at once (`Promise.all`) would otherwise add twenty
 * listeners to its signal while they wait for connections, and Node warns
 * past ten (MaxListenersExceededWarning), in every such request's log.
 */
const waiters = new WeakMap<AbortSignal, Set<() => void>>()

/** Calls `onAbort` when `signal` aborts, until the returned function is called. */
export function whileWaiting(signal: AbortSignal, onAbort: () => void): () => void {
  let set = waiters.get(signal)
  if (!set) {
    const created = new Set<() => void>()
    set = created
    waiters.set(signal, created)
    signal.addEventListener('abort', () => {
      for (const waiter of [...created]) waiter()
    }, { once: true })
  }
  set.add(onAbort)
  return () => void set.delete(onAbort)
}
