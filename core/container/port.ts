import type { Lifetime } from './lifetime.js'

/**
 * What a container component implements: a cache of instances per lifetime,
 * plus disposal. The core's {@link Container} sits in front of it and owns the
 * semantics every adapter must share (lookup, lifetimes checks, captive
 * dependencies, cycles, error paths), so adapters stay small, and the
 * conformance suite (`runContainerConformance` from `dovetailjs/testing`) holds
 * them to one behaviour.
 *
 * Keys are strings the core hands out, one per registration.
 */
export interface ContainerAdapter {
  /** The library underneath (an awilix container, an inversify Container), for advanced use. */
  readonly native: unknown
  /** Record a registration. `create` builds a new instance; the adapter decides when, by lifetime. */
  register(entry: AdapterRegistration): void
  /** Resolve a singleton or transient key at the root. */
  resolve(key: string): unknown
  /** A new request scope. Called at most once per request, and only when something scoped is needed. */
  createScope(): AdapterScope
  /** Dispose singletons (calling their `dispose`), then refuse further use. */
  dispose(): Promise<void>
}

export interface AdapterRegistration {
  key: string
  lifetime: Lifetime
  create: () => unknown
  dispose?: ((instance: any) => unknown) | undefined
}

export interface AdapterScope {
  /** Resolve any key: scoped ones are cached in this scope, singletons at the root. */
  resolve(key: string): unknown
  /** Dispose the scoped instances this scope created. */
  dispose(): Promise<void>
}
