import { z } from 'zod'
import { slotNames, type SlotName } from '../component/slots.js'

/** The databases a scaffold or an ORM component can be set up for. */
export const databaseNames = ['sqlite', 'postgresql', 'mysql'] as const
export type DatabaseName = (typeof databaseNames)[number]

const packageNames = z.array(z.string().min(1)).readonly()

const subpath = z
  .string()
  .regex(/^\.(\/[^\s]+)?$/, "a subpath of the package's exports: '.' or './components/widget'")

/**
 * One component a package declares in the `dovetail` field of its package.json,
 * so that Dovetail finds it without importing anything: config names it by
 * `name`, `dovetail info` lists it, `dovetail new` installs its `needs`.
 *
 * @example
 * { "slot": "template", "name": "handlebars", "entry": ".", "contract": "^1.0", "needs": ["handlebars"] }
 */
export const componentDeclarationSchema = z.strictObject({
  /** The slot it fills. */
  slot: z.enum(slotNames as [SlotName, ...SlotName[]]),
  /** Its short name in config (`template: 'handlebars'`): lower case, digits and dashes. */
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower case letters, digits and dashes, starting with a letter'),
  /** The subpath of the package whose default export is the component's factory (or a component). */
  entry: subpath,
  /** The slot contract versions it implements, a semver range; must equal the `contract` in its defineComponent. */
  contract: z.string().min(1),
  /** One line for `dovetail info` and the docs. */
  description: z.string().optional(),
  /** Optional packages its code imports (peer dependencies of the declaring package), which a project using it installs. */
  needs: packageNames.optional(),
  /** Further packages by the database a project chooses (an ORM's driver). */
  needsByDatabase: z.partialRecord(z.enum(databaseNames), packageNames).optional(),
})

/**
 * A preset a package declares: a JSON file of component names and options.
 *
 * @example
 * { "name": "blog", "file": "./presets/blog/preset.json", "scaffold": "./presets/blog/scaffold" }
 */
export const presetDeclarationSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower case letters, digits and dashes, starting with a letter'),
  /** The preset file, relative to the package's root. */
  file: z.string().regex(/^\.\/[^\s]+\.json$/, "a path such as './presets/blog/preset.json'"),
  /**
   * The folder `dovetail new` makes a project from (see docs/presets.md,
   * "Writing a preset"), relative to the package's root. Without one, the
   * preset can be named in a config but not scaffolded.
   */
  scaffold: z.string().regex(/^\.\/[^\s]+$/, "a folder such as './presets/blog/scaffold'").optional(),
  description: z.string().optional(),
})

/** The `dovetail` field of a package.json. */
export const dovetailFieldSchema = z.strictObject({
  components: z.array(componentDeclarationSchema).optional(),
  presets: z.array(presetDeclarationSchema).optional(),
})

export type ComponentDeclaration = z.infer<typeof componentDeclarationSchema>
export type PresetDeclaration = z.infer<typeof presetDeclarationSchema>
export type DovetailField = z.infer<typeof dovetailFieldSchema>
