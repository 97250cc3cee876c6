import { ContainerBadProvider, ContainerCaptive, ContainerCycle, ContainerDisposed, ContainerDuplicate, ContainerNoScope, ContainerNotRegistered } from '../errors/codes.js'
import type { DovetailError } from '../errors/dovetail-error.js'
import type { Lifetime } from './lifetime.js'
import type { AdapterScope, ContainerAdapter } from './port.js'
import { type Provider, type Recipe, type RegisterOptions, recipeOf } from './provider.js'
import type { Registry } from './registry.js'
import { type Token, tokenName } from './token.js'

interface Registration extends Recipe {
  token: Token
  key: string
  lifetime: Lifetime
  owner: string
}

/** Holds a request's scope, created on the first scoped resolution only. */
export interface ScopeHolder {
  scope: AdapterScope | undefined
}

const describe = (r: Registration): string => `${tokenName(r.token)} (${r.lifetime})`
const pathOf = (chain: readonly Registration[], last: string): string => [...chain.map(describe), last].join(' -> ')

/**
 * The core's container: one registration table and one set of rules in front of
 * whichever adapter the container slot holds. Resolution is synchronous, so the
 * chain of registrations being built is a plain stack; it names the whole path in
 * every error (`Handler (scoped) -> Repo (singleton) -> Db (scoped)`).
 */
export class Container {
  readonly #adapter: ContainerAdapter
  readonly #registrations = new Map<Token, Registration>()
  readonly #building: Registration[] = []
  #current: AdapterScope | null = null
  #owner = 'app'
  #disposed = false

  constructor(adapter: ContainerAdapter) {
    this.#adapter = adapter
  }

  /** The adapter's underlying library object. */
  get native(): unknown {
    return this.#adapter.native
  }

  /** A {@link Registry} whose registrations are attributed to `owner` in conflict errors. */
  registryFor(owner: string): Registry {
    const add = (lifetime: Lifetime) => (t: Token, p?: Provider<unknown>, o?: RegisterOptions<unknown>) => {
      this.#owner = owner
      this.add(lifetime, t, p, o)
      return registry
    }
    const registry: Registry = {
      singleton: add('singleton'),
      scoped: add('scoped'),
      transient: add('transient'),
      value: (t, value) => add('singleton')(t, { useValue: value }),
      has: (t) => this.#registrations.has(t),
    }
    return registry
  }

  add(lifetime: Lifetime, token: Token, provider?: Provider<unknown>, options: RegisterOptions<unknown> = {}): void {
    const name = tokenName(token)
    const previous = this.#registrations.get(token)
    if (previous) {
      throw ContainerDuplicate(
        `${name} is registered twice: by ${previous.owner} and by ${this.#owner}. Remove one, or replace the component that registers it.`,
      )
    }
    if (lifetime === 'transient' && options.dispose) {
      throw ContainerBadProvider(
        `${name} (registered by ${this.#owner}) is transient with a dispose callback, which would never run: nothing keeps a transient, so nothing knows when it ends. Register it scoped or singleton.`,
      )
    }
    const recipe = recipeOf(token, provider)
    if (!recipe) {
      throw ContainerBadProvider(
        `${name} (registered by ${this.#owner}) needs a provider: a factory (resolve) => value, a class, { useClass }, { useFactory, deps } or { useValue }.`,
      )
    }
    const registration: Registration = {
      ...recipe,
      token,
      lifetime,
      owner: this.#owner,
      key: `${name}#${this.#registrations.size}`,
    }
    this.#registrations.set(token, registration)
    this.#adapter.register({
      key: registration.key,
      lifetime,
      create: () => this.#create(registration),
      dispose: options.dispose,
    })
  }

  lifetimeOf(token: Token): Lifetime | undefined {
    return this.#registrations.get(token)?.lifetime
  }

  /** Resolve at the root: singletons and transients only. */
  resolve<T>(token: Token<T>): T {
    return this.#resolve(token, null) as T
  }

  /** Resolve for a request; the holder's scope is created only if this needs one. */
  resolveFor<T>(holder: ScopeHolder, token: Token<T>): T {
    const registration = this.#registrations.get(token)
    // Singletons live at the root, and an unknown token fails the same with or without a scope.
    if (registration === undefined || registration.lifetime === 'singleton') return this.#resolve(token, null) as T
    holder.scope ??= this.createScope()
    return this.#resolve(token, holder.scope) as T
  }

  createScope(): AdapterScope {
    this.#assertOpen()
    return this.#adapter.createScope()
  }

  /**
   * Check every declared dependency (class `inject` lists, `deps` of factories)
   * before the app serves: missing registrations, cycles and captive dependencies.
   */
  validate(): void {
    const walked = new Map<Registration, boolean>()
    for (const registration of this.#registrations.values()) this.#walk(registration, [], walked)
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return
    this.#disposed = true
    await this.#adapter.dispose()
  }

  /**
   * Depth-first over declared dependencies. `walked` remembers each registration
   * with whether a singleton was above it then: a walk under a singleton checks
   * everything a walk without one does, plus captive dependencies, so it need not
   * be repeated. Singletons are walked into too, or a cycle through singletons
   * only (`A -> B -> A`) would go unseen until the first request.
   */
  #walk(registration: Registration, chain: readonly Registration[], walked: Map<Registration, boolean>): void {
    const here = [...chain, registration]
    const captor = here.findLast((r) => r.lifetime === 'singleton')
    const before = walked.get(registration)
    if (before === true || (before === false && !captor)) return
    walked.set(registration, captor !== undefined)
    if (!registration.deps) return
    for (const dep of registration.deps) {
      const target = this.#registrations.get(dep)
      if (!target) throw this.#notRegistered(dep, here)
      if (here.includes(target)) throw this.#cycle(target, here)
      if (target.lifetime === 'scoped' && captor) throw this.#captive(captor, target, here)
      this.#walk(target, here, walked)
    }
  }

  #resolve(token: Token, scope: AdapterScope | null): unknown {
    this.#assertOpen()
    const registration = this.#registrations.get(token)
    if (!registration) throw this.#notRegistered(token, this.#building)
    // Checked before the adapter is asked: a library may report the cycle itself
    // (awilix does), in its own words and without the path.
    if (this.#building.includes(registration)) throw this.#cycle(registration, this.#building)
    if (registration.lifetime === 'scoped') {
      const captor = this.#building.findLast((r) => r.lifetime === 'singleton')
      if (captor) throw this.#captive(captor, registration, this.#building)
      if (scope === null) {
        throw ContainerNoScope(
          `${pathOf(this.#building, describe(registration))}: a scoped service exists once per request; resolve it from a request (ctx.resolve) or from another scoped or transient service.`,
        )
      }
    }
    const outer = this.#current
    this.#current = scope
    try {
      return scope === null ? this.#adapter.resolve(registration.key) : scope.resolve(registration.key)
    } finally {
      this.#current = outer
    }
  }

  #create(registration: Registration): unknown {
    if (this.#building.includes(registration)) throw this.#cycle(registration, this.#building)
    const scope = registration.lifetime === 'singleton' ? null : this.#current
    this.#building.push(registration)
    try {
      return registration.build((t) => this.#resolve(t, scope) as never)
    } finally {
      this.#building.pop()
    }
  }

  #assertOpen(): void {
    if (this.#disposed) throw ContainerDisposed('The container was disposed (app.close() ran); it resolves nothing more.')
  }

  #notRegistered(token: Token, chain: readonly Registration[]): DovetailError {
    const name = tokenName(token)
    const where = chain.length ? ` (needed by ${pathOf(chain, name)})` : ''
    return ContainerNotRegistered(
      `Nothing is registered for ${name}${where}. Register it in a component's register(c) or in the config's register(c), or add the component that provides it.`,
    )
  }

  #cycle(registration: Registration, chain: readonly Registration[]): DovetailError {
    return ContainerCycle(
      `Dependency cycle: ${pathOf(chain, describe(registration))}. Break it: move what these services share into a new service that depends on none of them.`,
    )
  }

  #captive(captor: Registration, captive: Registration, chain: readonly Registration[]): DovetailError {
    return ContainerCaptive(
      `${describe(captor)} depends on ${describe(captive)}: a singleton would keep one request's instance for every request. ` +
        `Path: ${pathOf(chain, describe(captive))}. Make ${tokenName(captor.token)} scoped, or make ${tokenName(captive.token)} a singleton.`,
    )
  }
}
