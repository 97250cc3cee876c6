/**
 * Finish a lazy stand-in for a `Request` (the node server's and the CGI
 * family's): every member of Request that `prototype` does not answer itself
 * (body, signal, json(), clone(), …) is answered by the real Request that
 * `materialize` builds once, and the stand-in passes `instanceof Request`.
 *
 * @example
 * delegateToRequest(LazyRequest.prototype, materialize)
 */
export function delegateToRequest<T extends object>(prototype: T, materialize: (lazy: T) => Request): void {
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(Request.prototype))) {
    if (name === 'constructor' || name in prototype) continue
    if (descriptor.get) {
      Object.defineProperty(prototype, name, {
        get(this: T) {
          return Reflect.get(materialize(this), name)
        },
      })
    } else if (typeof descriptor.value === 'function') {
      Object.defineProperty(prototype, name, {
        value(this: T, ...args: unknown[]) {
          return (descriptor.value as (...a: unknown[]) => unknown).apply(materialize(this), args)
        },
      })
    }
  }
  // `new Request(input)` and `fetch(input)` read undici's internal state from
  // symbol-keyed fields of `input` (Node 20's undici); answer those from the
  // real one too, so a lazy request can be copied or forwarded like any other.
  for (const key of Object.getOwnPropertySymbols(new Request('http://localhost/'))) {
    Object.defineProperty(prototype, key, {
      get(this: T) {
        return Reflect.get(materialize(this), key)
      },
    })
  }
  Object.setPrototypeOf(prototype, Request.prototype)
}
