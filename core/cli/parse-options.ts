import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './usage-error.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** The parsed options, typed by their declarations: a string option gives a string, a boolean one a boolean. */
export interface ParsedOptions<O extends Options> {
  values: { [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean }
  positionals: string[]
}

/**
 * `parseArgs` from node:util, with its errors restated for a person. Why no
 * CLI library: three commands with a handful of string and boolean options
 * are exactly what parseArgs covers (long and short names, `--x=v`, strict
 * refusal of unknown options), and a framework's bin should not pull in a
 * dependency tree for that.
 *
 * @example
 * const { values, positionals } = parseOptions('new', ['app', '--preset', 'api'], { preset: { type: 'string' } })
 */
export function parseOptions<O extends Options>(command: string, args: readonly string[], options: O): ParsedOptions<O> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true }) as ParsedOptions<O>
  } catch (error) {
    const e = error as { code?: string; message: string }
    if (!e.code?.startsWith('ERR_PARSE_ARGS')) throw error
    const known = Object.entries(options)
      .map(([name, o]) => `--${name}${o.type === 'string' ? ' <value>' : ''}`)
      .join(', ')
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      // Node's message goes on about '--' for positionals; the option list helps more.
      const flag = /'(-[^']+)'/.exec(e.message)?.[1] ?? 'given'
      throw new UsageError(`Unknown option '${flag}' for dovetail ${command}. Options: ${known}.`)
    }
    throw new UsageError(`dovetail ${command}: ${e.message}.`)
  }
}
