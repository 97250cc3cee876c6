/**
 * The getter of an accessor property, wherever it sits on the prototype
 * chain, so a validator can shadow the property on one object and still
 * reach what it returned before.
 */
export function findGetter(object: object, name: string): (() => unknown) | undefined {
  for (let o: object | null = object; o; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name)
    if (descriptor) return descriptor.get
  }
  return undefined
}
