import type { SettingSource } from '../config/resolve-config.js'

/** What a source is described against: the config module as shown, its settings' lines, the preset's name. */
export interface SourceContext {
  shown: string
  lines: ReadonlyMap<string, number>
  preset: string
}

/** A setting's source as JSON: the layer and key path, and the file and line where they are known. */
export interface SourceJson {
  layer: SettingSource['layer']
  path: string
  file?: string
  line?: number
}

/** The line of a key path in the config module, else of the nearest enclosing key that has one. */
function lineOf(path: string, lines: ReadonlyMap<string, number>): number | undefined {
  for (let at = path; ; ) {
    const line = lines.get(at)
    if (line !== undefined) return line
    const parent = at.replace(/(\.[^.[\]]+|\[\d+\])$/, '')
    if (parent === at || parent === '') return undefined
    at = parent
  }
}

/**
 * A setting's source in a few words, for a table: `app.ts:12`,
 * `app.ts:20 (env production)`, `preset fullstack`, `PORT variable`,
 * `--env flag`, `default`.
 *
 * @example
 * describeSource({ layer: 'config', path: 'components.template' }, { shown: 'app.ts', lines, preset: 'fullstack' }) // 'app.ts:9'
 */
export function describeSource(source: SettingSource | undefined, context: SourceContext): string {
  if (!source) return ''
  const line = lineOf(source.path, context.lines)
  const at = line === undefined ? `${context.shown} (${source.path})` : `${context.shown}:${line}`
  switch (source.layer) {
    case 'preset':
      return `preset ${context.preset}`
    case 'config':
      return at
    case 'environment':
      return line === undefined ? at : `${at} (${source.path.split('.').slice(0, 2).join(' ')})`
    case 'override':
      return `${source.path.split('.')[0]} (withLayer)`
    case 'variable':
      return `${source.path} variable`
    case 'flag':
      return `${source.path} flag`
    default:
      return 'default'
  }
}

/**
 * A setting's source for `--json`: the layer and key path, with the config
 * module and line (or the preset's file) where known.
 *
 * @example
 * sourceJson({ layer: 'config', path: 'components.template' }, context) // { layer: 'config', path: 'components.template', file: 'app.ts', line: 9 }
 */
export function sourceJson(source: SettingSource | undefined, context: SourceContext): SourceJson | null {
  if (!source) return null
  if (source.layer === 'preset') return { layer: source.layer, path: source.path, ...(source.file && { file: source.file }) }
  if (source.layer !== 'config' && source.layer !== 'environment') return { layer: source.layer, path: source.path }
  const line = lineOf(source.path, context.lines)
  return { layer: source.layer, path: source.path, file: context.shown, ...(line !== undefined && { line }) }
}
