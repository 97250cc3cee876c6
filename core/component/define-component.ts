import type { ContainerAdapter } from '../container/port.js'
import type { Registry } from '../container/registry.js'
import type { Token } from '../container/token.js'
import type { Middleware } from '../pipeline/middleware.js'
import type { ContractRange } from './contract-range.js'
import type { SlotName } from './slots.js'
import type { InferInput, InferOutput, StandardSchemaV1 } from './standard-schema.js'

/** What a component's `start`, `stop` and `middleware` hooks can reach. */
export interface ComponentContext {
  /** Resolve a singleton (or transient) from the app's container. */
  resolve<T>(token: Token<T>): T
  /** `development`, `production` or `test`, from the config's `env` or `NODE_ENV`. */
  readonly env: string
}

/**
 * A component's description. `options` is a Standard Schema (zod, valibot, …):
 * the input given to the factory is validated against it at startup, and the
 * hooks receive the validated, defaulted output.
 */
export interface ComponentDefinition<Schema extends StandardSchemaV1 | undefined = undefined> {
  /** `<slot>/<impl>` for built-ins; a package name for third-party components. */
  name: string
  slot: SlotName
  /**
   * The versions of the slot's contract this component implements, as a semver
   * range (`'^1.0'`); startup refuses the component when this core's contract
   * for the slot is outside it. A package that declares the component in its
   * package.json must declare the same range there.
   */
  contract: ContractRange
  /** Slots that must be filled for this component to work; it starts after them. */
  requires?: readonly SlotName[]
  options?: Schema
  register?(c: Registry, options: OptionsOf<Schema>): void
  start?(app: ComponentContext, options: OptionsOf<Schema>): void | Promise<void>
  stop?(app: ComponentContext, options: OptionsOf<Schema>): void | Promise<void>
  /** Container slot only: build the adapter the core's container runs on. */
  createContainer?(options: OptionsOf<Schema>): ContainerAdapter
  /** Middleware slot only: the middleware this component adds to every request. */
  middleware?(app: ComponentContext, options: OptionsOf<Schema>): Middleware
  /**
   * Commands this component adds to the `dovetail` command line, by name: in a
   * project whose config holds this component, `dovetail <name> …` runs it
   * with the rest of the arguments (the orm components' `db`). Any component
   * may add commands; a name the core uses (`new`, `info`, `check`, `routes`, `explain`) is never handed on.
   */
  commands?: Readonly<Record<string, ComponentCommand>>
}

/** Where a component's command writes, and the directory its paths are relative to. */
export interface CommandIo {
  out(line: string): void
  err(line: string): void
  /** @default process.cwd() */
  cwd?: string
  /** How usage text names the program, e.g. `dovetail db`. */
  program?: string
}

/**
 * One command a component adds to the `dovetail` command line.
 *
 * @example
 * commands: { db: { summary: 'run a database command', run: (argv, io) => runDbCli(argv, io) } }
 */
export interface ComponentCommand {
  /** One line for `dovetail --help`. */
  summary: string
  /** Run with the arguments after the command's name (`--config` among them); resolves to the exit code: 0 done, 1 failed, 2 called wrong. */
  run(argv: readonly string[], io: CommandIo): Promise<number>
}

type OptionsOf<S> = S extends StandardSchemaV1 ? InferOutput<S> : undefined
type InputOf<S> = S extends StandardSchemaV1 ? InferInput<S> : undefined

const componentBrand = Symbol.for('dovetail.component')

/** A component with its (not yet validated) options: what goes into a slot. */
export interface Component {
  readonly [componentBrand]: true
  readonly definition: ComponentDefinition<StandardSchemaV1 | undefined>
  readonly input: unknown
  /** Set when the component was found by name in an installed package's declaration. */
  readonly source?: ComponentSource
}

/** The package declaration a component named in config was loaded from. */
export interface ComponentSource {
  /** The short name it was declared under (`'eta'`). */
  name: string
  package: string
  version: string
}

/** What `defineComponent` returns: call it with options to get a {@link Component}. */
export interface ComponentFactory<Input = unknown> {
  (...input: undefined extends Input ? [options?: Input] : {} extends Input ? [options?: Input] : [options: Input]): Component
  readonly definition: ComponentDefinition<StandardSchemaV1 | undefined>
}

/**
 * Declare a component: the slot it fills, the contract version it implements,
 * what it needs, its options schema and its lifecycle hooks. Importing a
 * component has no side effects: this only returns a factory.
 *
 * @example
 * import { z } from 'zod'
 * export const greeter = defineComponent({
 *   name: 'greeter', slot: 'middleware', contract: '^1.0',
 *   options: z.object({ header: z.string().default('x-greeting') }),
 *   middleware: (_app, o) => async (ctx, next) => {
 *     const res = await next(); res.headers.set(o.header, 'hello'); return res
 *   },
 * })
 * // config: components: { middleware: [greeter({ header: 'x-hi' })] }
 */
export function defineComponent<Schema extends StandardSchemaV1 | undefined = undefined>(
  definition: ComponentDefinition<Schema>,
): ComponentFactory<InputOf<Schema>> {
  const def = definition as unknown as ComponentDefinition<StandardSchemaV1 | undefined>
  const factory = (input?: unknown): Component => ({ [componentBrand]: true, definition: def, input })
  return Object.assign(factory, { definition: def }) as unknown as ComponentFactory<InputOf<Schema>>
}

export const isComponent = (value: unknown): value is Component =>
  typeof value === 'object' && value !== null && (value as Component)[componentBrand] === true

export const isComponentFactory = (value: unknown): value is ComponentFactory =>
  typeof value === 'function' && typeof (value as ComponentFactory).definition === 'object'
