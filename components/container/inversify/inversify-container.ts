import { Container } from 'inversify'
import { type AdapterRegistration, type AdapterScope, type ContainerAdapter, MapScope, type MapScopeHost } from '../../../core/index.js'

/**
 * The core's container port on inversify. inversify keeps singletons and
 * transients and runs singleton deactivation on dispose.
 *
 * Scoped instances live in the core's {@link MapScope}, not an inversify child
 * container: inversify's own `inRequestScope` lasts one `get()` call, not one
 * HTTP request, and a child container with three bindings and three `get()`s
 * costs about 50 µs per request on Node 20 and is never freed by inversify 8
 * (test/bench/scope-cost.ts), against a budget of about 28 µs for a whole request.
 */
export class InversifyAdapter implements ContainerAdapter, MapScopeHost {
  readonly native = new Container()
  readonly #scoped = new Map<string, AdapterRegistration>()

  register(entry: AdapterRegistration): void {
    if (entry.lifetime === 'scoped') {
      this.#scoped.set(entry.key, entry)
      return
    }
    // Instances travel in a box: inversify's synchronous get() refuses a value that
    // is a promise, and a factory may well return one (an async connection).
    const create = entry.create
    const binding = this.native.bind<Box>(entry.key).toDynamicValue(() => ({ value: create() }))
    if (entry.lifetime === 'transient') {
      binding.inTransientScope()
      return
    }
    const onDeactivation = binding.inSingletonScope()
    const dispose = entry.dispose
    if (dispose) onDeactivation.onDeactivation(async (box) => { await dispose(box.value) })
  }

  resolve(key: string): unknown {
    return this.native.get<Box>(key).value
  }

  createScope(): AdapterScope {
    return new MapScope(this)
  }

  scopedEntry(key: string): AdapterRegistration | undefined {
    return this.#scoped.get(key)
  }

  async dispose(): Promise<void> {
    // The async variant: unbindAll() throws as soon as one deactivation returns a promise.
    await this.native.unbindAllAsync()
  }
}

interface Box {
  value: unknown
}
