import type { StandardSchemaV1 } from 'dovetailjs'

/** One option a component's schema accepts, found by walking the schema. */
export interface OptionLeaf {
  /** Dotted path from the options root: `limits.body`, `rateLimit.perAccount.window`. `[]` marks an array element, `*` a record value. */
  path: string
  /** The kinds of value the option takes (`number`, `string`, `boolean`, `literal`, …), over every branch of a union. */
  kinds: ReadonlySet<string>
}

// The subset of zod 4's schema definitions the walk reads. Only zod is walked:
// every built-in's schema is zod, and a schema of another kind fails loudly
// rather than yielding no options.
interface ZodDef {
  type: string
  shape?: Record<string, ZodLike>
  innerType?: ZodLike
  in?: ZodLike
  out?: ZodLike
  options?: readonly ZodLike[]
  left?: ZodLike
  right?: ZodLike
  element?: ZodLike
  valueType?: ZodLike
  items?: readonly ZodLike[]
  getter?: () => ZodLike
}
interface ZodLike {
  _zod: { def: ZodDef }
}

// Wrappers whose inner schema is the option itself.
const wrappers = new Set(['default', 'prefault', 'optional', 'nullable', 'nonoptional', 'readonly', 'catch'])
// Schemas that are a value, not a container of options.
const values = new Set([
  'number', 'bigint', 'string', 'boolean', 'literal', 'enum', 'custom', 'unknown', 'any', 'null', 'undefined', 'date',
  'template_literal', 'function', 'symbol', 'nan', 'void', 'never',
])

/**
 * Every option a component's options schema accepts, as dotted paths with the
 * kinds of value each takes. Walks zod's definitions: object shapes, wrappers
 * (default, prefault, optional…), unions (all branches, kinds merged),
 * pipes (the input side; a transform's output is not an option), arrays and
 * records. A schema node of a kind this walk does not know fails the walk,
 * so a new kind of schema cannot hide its options from the limits table.
 *
 * @example
 * optionLeaves(bodyOptions).find((l) => l.path === 'limits.body')?.kinds // Set { 'number' }
 */
export function optionLeaves(schema: StandardSchemaV1, where = 'options'): OptionLeaf[] {
  const found = new Map<string, Set<string>>()
  const add = (path: string, kind: string) => {
    const kinds = found.get(path) ?? new Set<string>()
    kinds.add(kind)
    found.set(path, kinds)
  }
  const walk = (node: ZodLike, path: string, depth: number): void => {
    if (depth > 32) throw new Error(`${where}: schema nested deeper than 32 levels at '${path}' (a recursive schema?)`)
    const def = node?._zod?.def
    if (!def) throw new Error(`${where}: '${path || '(root)'}' is not a zod schema; the limits table test walks zod schemas only`)
    const at = (key: string) => (path ? `${path}.${key}` : key)
    if (def.type === 'object') {
      for (const [key, child] of Object.entries(def.shape!)) walk(child, at(key), depth + 1)
    } else if (wrappers.has(def.type)) {
      walk(def.innerType!, path, depth + 1)
    } else if (def.type === 'pipe') {
      walk(def.in!, path, depth + 1)
    } else if (def.type === 'transform') {
      // The output side of a pipe; what is accepted was walked on the input side.
    } else if (def.type === 'union') {
      for (const option of def.options!) walk(option, path, depth + 1)
    } else if (def.type === 'intersection') {
      walk(def.left!, path, depth + 1)
      walk(def.right!, path, depth + 1)
    } else if (def.type === 'array' || def.type === 'set') {
      walk(def.element ?? def.valueType!, at('[]'), depth + 1)
    } else if (def.type === 'record' || def.type === 'map') {
      walk(def.valueType!, at('*'), depth + 1)
    } else if (def.type === 'tuple') {
      def.items!.forEach((item, i) => walk(item, at(`[${i}]`), depth + 1))
    } else if (def.type === 'lazy') {
      walk(def.getter!(), path, depth + 1)
    } else if (values.has(def.type)) {
      add(path || '(root)', def.type)
    } else {
      throw new Error(`${where}: '${path || '(root)'}' is a zod '${def.type}' schema, which the option walk does not know; teach test/support/option-leaves.ts`)
    }
  }
  walk(schema as unknown as ZodLike, '', 0)
  return [...found].map(([path, kinds]) => ({ path, kinds }))
}
