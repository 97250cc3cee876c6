import { afterEach, describe, expect, it } from 'vitest'
import { Container, type ScopeHolder } from '../../container/container.js'
import type { AdapterScope, ContainerAdapter } from '../../container/port.js'
import { token } from '../../container/token.js'
import type { ErrorCode } from '../../errors/codes.js'
import { DovetailError } from '../../errors/dovetail-error.js'

export interface ContainerConformanceOptions {
  /** Shown in the suite's title, e.g. `'container/awilix'`. */
  name: string
  /** A fresh adapter for each test: what the component's `createContainer` returns. */
  createAdapter: () => ContainerAdapter
}

/**
 * The behaviour every container component must show, run through the core's
 * {@link Container} in front of the adapter, exactly as an app uses it:
 * lifetimes, providers, errors (with their codes and resolution paths),
 * disposal, and lazy request scopes.
 *
 * Written with vitest; call it at the top level of a test file.
 *
 * @example
 * // test/my-container.test.ts
 * import { runContainerConformance } from 'dovetailjs/testing'
 * import { MyAdapter } from '../src/my-adapter.js'
 *
 * runContainerConformance({ name: 'my-container', createAdapter: () => new MyAdapter() })
 */
export function runContainerConformance(options: ContainerConformanceOptions): void {
  describe(`container conformance: ${options.name}`, () => {
    const open: Container[] = []
    /** A container on a fresh adapter, and a registry attributed to `owner`. */
    const setup = (adapter: ContainerAdapter = options.createAdapter()) => {
      const container = new Container(adapter)
      open.push(container)
      return { container, c: container.registryFor('the test') }
    }
    afterEach(async () => {
      await Promise.all(open.splice(0).map((container) => container.dispose()))
    })

    describe('lifetimes', () => {
      it('a singleton is one instance at the root, in every scope and for every request', () => {
        const { container, c } = setup()
        let built = 0
        c.singleton(Clock, () => ({ id: ++built }))
        const first = container.resolveFor(holder(), Clock)
        expect(container.resolve(Clock)).toBe(first)
        expect(container.resolveFor(holder(), Clock)).toBe(first)
        expect(built).toBe(1)
      })

      it('a singleton needed by scoped services is shared by every scope', () => {
        const { container, c } = setup()
        c.singleton(Clock, () => ({ id: 1 }))
        c.scoped(Stamp, { useFactory: (clock: Clock) => ({ clock }), deps: [Clock] })
        const a = container.resolveFor(holder(), Stamp)
        const b = container.resolveFor(holder(), Stamp)
        expect(a).not.toBe(b)
        expect(a.clock).toBe(b.clock)
        expect(container.resolve(Clock)).toBe(a.clock)
      })

      it('a scoped service is one instance per scope, and another in each other scope', () => {
        const { container, c } = setup()
        c.scoped(Unit, () => ({}))
        const one = holder()
        const two = holder()
        const first = container.resolveFor(one, Unit)
        expect(container.resolveFor(one, Unit)).toBe(first)
        expect(container.resolveFor(two, Unit)).not.toBe(first)
        expect(container.resolveFor(two, Unit)).toBe(container.resolveFor(two, Unit))
      })

      it('scoped services built in one scope share that scope’s instances', () => {
        const { container, c } = setup()
        c.scoped(Unit, () => ({}))
        c.scoped(Left, { useFactory: (unit: object) => ({ unit }), deps: [Unit] })
        c.transient(Right, (resolve) => ({ unit: resolve(Unit) }))
        const request = holder()
        const left = container.resolveFor(request, Left)
        const right = container.resolveFor(request, Right)
        expect(left.unit).toBe(right.unit)
        expect(left.unit).toBe(container.resolveFor(request, Unit))
        expect(container.resolveFor(holder(), Left).unit).not.toBe(left.unit)
      })

      it('a transient is a new instance at every resolution, at the root and in a scope', () => {
        const { container, c } = setup()
        c.transient(Unit, () => ({}))
        expect(container.resolve(Unit)).not.toBe(container.resolve(Unit))
        const request = holder()
        expect(container.resolveFor(request, Unit)).not.toBe(container.resolveFor(request, Unit))
      })

      it('reports each registration’s lifetime', () => {
        const { container, c } = setup()
        c.singleton(Clock, () => ({ id: 1 })).scoped(Unit, () => ({})).transient(Left, () => ({ unit: {} }))
        expect([Clock, Unit, Left, Right].map((t) => container.lifetimeOf(t))).toEqual(['singleton', 'scoped', 'transient', undefined])
      })
    })

    describe('providers', () => {
      it('a factory receives resolve and builds from other services', () => {
        const { container, c } = setup()
        c.value(Greeting, 'Hello')
        c.transient(Greeter, (resolve) => ({ greet: (name: string) => `${resolve(Greeting)}, ${name}` }))
        expect(container.resolve(Greeter).greet('Ada')).toBe('Hello, Ada')
      })

      it('a class token is built with the dependencies its static inject lists, in order', () => {
        const { container, c } = setup()
        c.value(Greeting, 'Hi').singleton(Clock, () => ({ id: 7 })).singleton(ClassGreeter)
        const greeter = container.resolve(ClassGreeter)
        expect(greeter).toBeInstanceOf(ClassGreeter)
        expect(greeter.greet('Bo')).toBe('Hi, Bo (7)')
      })

      it('{ useClass } builds a class for another token, with constructor injection', () => {
        const { container, c } = setup()
        c.value(Greeting, 'Hey').singleton(Clock, () => ({ id: 3 }))
        c.scoped(Greeter, { useClass: ClassGreeter })
        const greeter = container.resolveFor(holder(), Greeter)
        expect(greeter).toBeInstanceOf(ClassGreeter)
        expect(greeter.greet('Cy')).toBe('Hey, Cy (3)')
      })

      it('{ useFactory, deps } calls the factory with the resolved dependencies', () => {
        const { container, c } = setup()
        c.value(Greeting, 'Yo').singleton(Clock, () => ({ id: 9 }))
        c.transient(Greeter, {
          useFactory: (greeting: string, clock: Clock) => ({ greet: (name: string) => `${greeting} ${name} ${clock.id}` }),
          deps: [Greeting, Clock],
        })
        expect(container.resolve(Greeter).greet('Di')).toBe('Yo Di 9')
      })

      it('{ useValue } and value() give back the very value, falsy ones included', () => {
        const { container, c } = setup()
        const settings = { greeting: 'Hello' }
        c.singleton(Settings, { useValue: settings })
        c.value(Count, 0)
        c.value(Greeting, '')
        expect(container.resolve(Settings)).toBe(settings)
        expect(container.resolve(Count)).toBe(0)
        expect(container.resolveFor(holder(), Greeting)).toBe('')
      })

      it('a factory may return a promise: the promise is the instance, cached by lifetime', async () => {
        const { container, c } = setup()
        c.singleton(Pending, async () => ({ ready: true }))
        const first = container.resolve(Pending)
        expect(first).toBeInstanceOf(Promise)
        expect(container.resolve(Pending)).toBe(first)
        expect(await first).toEqual({ ready: true })
      })

      it('a registration without a usable provider fails at once, naming the token and its owner', () => {
        const { c } = setup()
        const error = errorOf(() => c.singleton(Greeting))
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_BAD_PROVIDER')
        expect(error.message).toContain('Greeting')
        expect(error.message).toContain('the test')
      })
    })

    describe('errors', () => {
      it('a scoped service resolved at the root fails with DOVETAIL_ERR_CONTAINER_NO_SCOPE', () => {
        const { container, c } = setup()
        c.scoped(Unit, () => ({}))
        const error = errorOf(() => container.resolve(Unit))
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_NO_SCOPE')
        expect(error.message).toContain('Unit (scoped)')
      })

      it('a transient that needs a scoped service, resolved at the root, names the path', () => {
        const { container, c } = setup()
        c.scoped(Unit, () => ({}))
        c.transient(Left, (resolve) => ({ unit: resolve(Unit) }))
        const error = errorOf(() => container.resolve(Left))
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_NO_SCOPE')
        expect(error.message).toContain('Left (transient) -> Unit (scoped)')
      })

      it('a declared captive dependency is found by validate(), before anything is built', () => {
        const { container, c } = setup()
        let built = 0
        c.singleton(A, { useFactory: (b: unknown) => ({ b, n: ++built }), deps: [B] })
        c.transient(B, { useFactory: (cc: unknown) => ({ cc, n: ++built }), deps: [C] })
        c.scoped(C, () => ({ n: ++built }))
        const error = errorOf(() => container.validate())
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_CAPTIVE')
        expect(error.message).toContain('A (singleton) depends on C (scoped)')
        expect(error.message).toContain('A (singleton) -> B (transient) -> C (scoped)')
        expect(built).toBe(0)
      })

      it('a captive dependency declared by a class’s static inject is found by validate()', () => {
        const { container, c } = setup()
        c.scoped(Unit, () => ({}))
        c.singleton(NeedsUnit)
        const error = errorOf(() => container.validate())
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_CAPTIVE')
        expect(error.message).toContain('NeedsUnit (singleton) -> Unit (scoped)')
      })

      it('an undeclared captive dependency (a plain factory) fails at its first resolution, with the path', () => {
        const { container, c } = setup()
        c.singleton(A, (resolve) => ({ b: resolve(B) }))
        c.transient(B, (resolve) => ({ cc: resolve(C) }))
        c.scoped(C, () => ({}))
        container.validate()
        const error = errorOf(() => container.resolveFor(holder(), A))
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_CAPTIVE')
        expect(error.message).toContain('A (singleton) depends on C (scoped)')
        expect(error.message).toContain('A (singleton) -> B (transient) -> C (scoped)')
        // The failure leaves nothing half-built behind: the same error again, and the rest still works.
        expectCode(errorOf(() => container.resolveFor(holder(), A)), 'DOVETAIL_ERR_CONTAINER_CAPTIVE')
        expect(container.resolveFor(holder(), B)).toHaveProperty('cc')
      })

      it('a missing registration names the token and the path that needed it', () => {
        const { container, c } = setup()
        expect(errorOf(() => container.resolve(Greeting)).message).toContain('Nothing is registered for Greeting')
        c.singleton(A, (resolve) => ({ b: resolve(B) }))
        c.transient(B, (resolve) => ({ missing: resolve(Greeting) }))
        const error = errorOf(() => container.resolve(A))
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_NOT_REGISTERED')
        expect(error.message).toContain('A (singleton) -> B (transient) -> Greeting')
      })

      it('a missing declared dependency is found by validate()', () => {
        const { container, c } = setup()
        c.scoped(A, { useFactory: (b: unknown) => ({ b }), deps: [B] })
        c.transient(B, { useFactory: (g: string) => ({ g }), deps: [Greeting] })
        const error = errorOf(() => container.validate())
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_NOT_REGISTERED')
        expect(error.message).toContain('A (scoped) -> B (transient) -> Greeting')
      })

      it('a declared cycle is found by validate(), through singletons too', () => {
        const { container, c } = setup()
        c.singleton(A, { useFactory: (b: unknown) => ({ b }), deps: [B] })
        c.singleton(B, { useFactory: (a: unknown) => ({ a }), deps: [A] })
        const error = errorOf(() => container.validate())
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_CYCLE')
        expect(error.message).toContain('A (singleton) -> B (singleton) -> A (singleton)')
      })

      it('an undeclared cycle fails at resolution with DOVETAIL_ERR_CONTAINER_CYCLE and the path', () => {
        const { container, c } = setup()
        c.scoped(A, (resolve) => ({ b: resolve(B) }))
        c.transient(B, (resolve) => ({ cc: resolve(C) }))
        c.scoped(C, (resolve) => ({ a: resolve(A) }))
        container.validate()
        const error = errorOf(() => container.resolveFor(holder(), A))
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_CYCLE')
        expect(error.message).toContain('A (scoped) -> B (transient) -> C (scoped) -> A (scoped)')
      })

      it('a second registration for one token fails, naming both owners', () => {
        const { container } = setup()
        container.registryFor("component 'db/pg'").singleton(Clock, () => ({ id: 1 }))
        const error = errorOf(() => container.registryFor('the app config').singleton(Clock, () => ({ id: 2 })))
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_DUPLICATE')
        expect(error.message).toContain('Clock')
        expect(error.message).toContain("component 'db/pg'")
        expect(error.message).toContain('the app config')
      })
    })

    describe('disposal', () => {
      it('scoped instances are disposed, and awaited, when their scope is; singletons are not', async () => {
        const { container, c } = setup()
        const log: string[] = []
        c.singleton(Clock, () => ({ id: 1 }), { dispose: () => void log.push('singleton') })
        c.scoped(Unit, () => ({}), { dispose: async () => { await tick(); log.push('scoped') } })
        c.transient(Left, (resolve) => ({ unit: resolve(Unit) }))
        const request = holder()
        container.resolveFor(request, Clock)
        container.resolveFor(request, Left)
        container.resolveFor(request, Left)
        expect(log).toEqual([])
        await request.scope!.dispose()
        expect(log).toEqual(['scoped'])
      })

      it('each scope disposes its own instances only', async () => {
        const { container, c } = setup()
        const disposed: object[] = []
        c.scoped(Unit, () => ({}), { dispose: (unit) => void disposed.push(unit) })
        const one = holder()
        const two = holder()
        const first = container.resolveFor(one, Unit)
        const second = container.resolveFor(two, Unit)
        await one.scope!.dispose()
        expect(disposed).toEqual([first])
        expect(disposed[0]).toBe(first)
        await two.scope!.dispose()
        expect(disposed[1]).toBe(second)
      })

      it('singletons are disposed, and awaited, when the container is', async () => {
        const { container, c } = setup()
        const log: string[] = []
        c.singleton(Clock, () => ({ id: 1 }), { dispose: async (clock) => { await tick(); log.push(`singleton ${clock.id}`) } })
        c.singleton(Settings, () => ({ greeting: 'never built' }), { dispose: () => void log.push('unbuilt') })
        c.transient(Left, () => ({ unit: {} }))
        container.resolve(Clock)
        container.resolve(Left)
        await container.dispose()
        expect(log).toEqual(['singleton 1'])
        await container.dispose()
        expect(log).toEqual(['singleton 1'])
      })

      it('a transient with a dispose callback is refused at registration, since it could never run', () => {
        const { c } = setup()
        const error = errorOf(() => c.transient(Left, () => ({ unit: {} }), { dispose: () => {} }))
        expectCode(error, 'DOVETAIL_ERR_CONTAINER_BAD_PROVIDER')
        expect(error.message).toContain('Left')
        expect(error.message).toContain('scoped or singleton')
      })

      it('a disposed container refuses to resolve or open scopes (DOVETAIL_ERR_CONTAINER_DISPOSED)', async () => {
        const { container, c } = setup()
        c.singleton(Clock, () => ({ id: 1 })).scoped(Unit, () => ({}))
        container.resolve(Clock)
        await container.dispose()
        expectCode(errorOf(() => container.resolve(Clock)), 'DOVETAIL_ERR_CONTAINER_DISPOSED')
        expectCode(errorOf(() => container.resolveFor(holder(), Clock)), 'DOVETAIL_ERR_CONTAINER_DISPOSED')
        expectCode(errorOf(() => container.resolveFor(holder(), Unit)), 'DOVETAIL_ERR_CONTAINER_DISPOSED')
        expectCode(errorOf(() => container.createScope()), 'DOVETAIL_ERR_CONTAINER_DISPOSED')
      })
    })

    describe('request scopes', () => {
      it('resolving only singletons for a request creates no scope', () => {
        const counted = countScopes(options.createAdapter())
        const { container, c } = setup(counted.adapter)
        c.singleton(Clock, () => ({ id: 1 })).value(Greeting, 'Hello')
        const request = holder()
        container.resolveFor(request, Clock)
        container.resolveFor(request, Greeting)
        expect(request.scope).toBeUndefined()
        expect(counted.scopes()).toBe(0)
      })

      it('the first scoped resolution creates the request’s scope, once', () => {
        const counted = countScopes(options.createAdapter())
        const { container, c } = setup(counted.adapter)
        c.singleton(Clock, () => ({ id: 1 })).scoped(Unit, () => ({})).transient(Left, (resolve) => ({ unit: resolve(Unit) }))
        const request = holder()
        container.resolveFor(request, Clock)
        container.resolveFor(request, Unit)
        container.resolveFor(request, Left)
        expect(request.scope).toBeDefined()
        expect(counted.scopes()).toBe(1)
        container.resolveFor(holder(), Unit)
        expect(counted.scopes()).toBe(2)
      })
    })

    it('exposes the adapter’s native object', () => {
      const adapter = options.createAdapter()
      const { container } = setup(adapter)
      expect(adapter.native).toBeDefined()
      expect(container.native).toBe(adapter.native)
    })
  })
}

interface Clock {
  id: number
}
const Clock = token<Clock>('Clock')
const Unit = token<object>('Unit')
const Stamp = token<{ clock: Clock }>('Stamp')
const Left = token<{ unit: object }>('Left')
const Right = token<{ unit: object }>('Right')
const Greeting = token<string>('Greeting')
const Count = token<number>('Count')
const Settings = token<{ greeting: string }>('Settings')
const Pending = token<Promise<{ ready: boolean }>>('Pending')
const Greeter = token<{ greet(name: string): string }>('Greeter')
const A = token<object>('A')
const B = token<object>('B')
const C = token<object>('C')

class ClassGreeter {
  static readonly inject = [Greeting, Clock] as const
  constructor(
    readonly greeting: string,
    readonly clock: Clock,
  ) {}
  greet(name: string): string {
    return `${this.greeting}, ${name} (${this.clock.id})`
  }
}

class NeedsUnit {
  static readonly inject = [Unit] as const
  constructor(readonly unit: object) {}
}

const holder = (): ScopeHolder => ({ scope: undefined })
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1))

function errorOf(run: () => unknown): DovetailError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(DovetailError)
    return error as DovetailError
  }
  throw new Error('expected a DovetailError, but nothing was thrown')
}

function expectCode(error: DovetailError, code: ErrorCode): void {
  expect(error.code, error.message).toBe(code)
}

/** The adapter under test, counting the scopes it is asked for. */
function countScopes(adapter: ContainerAdapter): { adapter: ContainerAdapter; scopes: () => number } {
  let scopes = 0
  return {
    scopes: () => scopes,
    adapter: {
      get native() {
        return adapter.native
      },
      register: (entry) => adapter.register(entry),
      resolve: (key) => adapter.resolve(key),
      createScope: (): AdapterScope => {
        scopes++
        return adapter.createScope()
      },
      dispose: () => adapter.dispose(),
    },
  }
}
