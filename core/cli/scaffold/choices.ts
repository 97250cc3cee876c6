import { presetComponents, type PresetName } from './preset-needs.js'

/** What `dovetail new` was asked for: everything the generated files depend on. */
export interface ProjectChoices {
  /** The package name, made from the directory's name. */
  name: string
  preset: PresetName
  /** The container's built-in name (`awilix`, `inversify`). */
  container: string
  /** The template engine's built-in name; `undefined` for none (`fullstack` always has one). */
  template: string | undefined
  /** When the project is made: the first migration is named after it, as `migration:create` would. */
  now: Date
}

/** The component in one slot of the preset, by its slot prefix (`container/`). */
const presetDefault = (preset: PresetName, slot: string): string | undefined =>
  presetComponents[preset].find((name) => name.startsWith(`${slot}/`))?.slice(slot.length + 1)

/**
 * The project's components by name: the preset's, with the container and
 * template engine that were chosen.
 *
 * @example
 * projectComponents({ preset: 'minimal', container: 'inversify', template: 'eta', ... })
 * // ['container/inversify', 'router/radix', 'server/node', 'template/eta']
 */
export function projectComponents(choices: ProjectChoices): string[] {
  const names = presetComponents[choices.preset].filter((name) => !name.startsWith('container/') && !name.startsWith('template/'))
  return [`container/${choices.container}`, ...names, ...(choices.template ? [`template/${choices.template}`] : [])]
}

/** What the generated code branches on, read off the preset's components. */
export interface ProjectTraits {
  /** The container differs from the preset's, so app.ts names it. */
  containerOverride: boolean
  hasOrm: boolean
  hasPino: boolean
  /** The fullstack preset's sessions, CSRF, auth, static files and transactions. */
  fullstack: boolean
}

/**
 * @example
 * traitsOf({ preset: 'api', container: 'inversify', ... }) // { containerOverride: true, hasOrm: true, hasPino: true, fullstack: false }
 */
export function traitsOf(choices: ProjectChoices): ProjectTraits {
  const components: readonly string[] = presetComponents[choices.preset]
  return {
    containerOverride: presetDefault(choices.preset, 'container') !== choices.container,
    hasOrm: components.includes('orm/mikro-orm'),
    hasPino: components.includes('logger/pino'),
    fullstack: components.includes('middleware/csrf'),
  }
}

/**
 * The template engine a preset brings when none is chosen.
 *
 * @example
 * defaultTemplate('fullstack') // 'eta'
 */
export const defaultTemplate = (preset: PresetName): string | undefined => presetDefault(preset, 'template')

/** A file name's extension for each template engine. */
export const templateExtensions: Readonly<Record<string, string>> = { eta: '.eta', nunjucks: '.njk' }
