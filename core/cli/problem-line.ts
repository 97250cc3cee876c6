import { DovetailError } from '../errors/dovetail-error.js'

/**
 * An error as one line of `dovetail check` or `dovetail info`: its message,
 * whose sentences say what is wrong and what to do, with a list the message
 * spreads over lines (a component's invalid options) joined by `; `, and
 * its code last. No stack: these are the config's problems, not the
 * command's.
 *
 * @example
 * problemLine(ComponentOptions("Component 'x' has invalid options:\n  - option 'a': Required\n"))
 * // "Component 'x' has invalid options: option 'a': Required [DOVETAIL_ERR_COMPONENT_OPTIONS]"
 */
export function problemLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const parts = error.message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  const code = parts.length > 1 && /^\[[A-Z0-9_]+\]$/.test(parts.at(-1)!) ? ` ${parts.pop()}` : ''
  const [head = '', ...items] = parts
  const list = items.map((item) => item.replace(/^- /, '')).join('; ')
  const text = list ? `${head} ${list}${code}` : `${head}${code}`
  // An error that is not Dovetail's (thrown by the app's own register or routes) is named by its class.
  return error instanceof DovetailError || error.name === 'Error' ? text : `${error.name}: ${text}`
}
