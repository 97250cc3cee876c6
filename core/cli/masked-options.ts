/**
 * A component's validated options, made safe to print: JSON-compatible, with
 * secrets masked. What `dovetail info` shows as the effective options.
 *
 * Masked: the value of every key whose last word is a secret's word
 * (`secret`, `sessionSecrets`, `password`, `apiKey`, `token`, `keys`,
 * `credentials`, …; `keyPrefix` and `tokenField` are not), and the password
 * in any URL (`postgresql://app:***@db/app`). Functions and classes (entities,
 * migrations, hooks) are shown by name, objects of a class by their class's
 * name; nesting deeper than six levels and lists longer than twenty are cut.
 * Paths inside `root` (the project's folder) are shown relative to it.
 *
 * @example
 * maskedOptions({ url: 'postgresql://app:hunter2@db/app', secrets: ['x'.repeat(32)], entities: [Note] })
 * // { url: 'postgresql://app:***@db/app', secrets: '***', entities: ['[class Note]'] }
 */
export function maskedOptions(value: unknown, root?: string): unknown {
  return mask(value, 0, new WeakSet(), root === undefined ? undefined : root.replace(/\/+$/, ''))
}

export const masked = '***'

const secretWords = new Set(['secret', 'secrets', 'password', 'passwords', 'passwd', 'pwd', 'token', 'tokens', 'credential', 'credentials', 'passphrase', 'salt'])
// `key` alone is a secret (a TLS key); after another word only when that word makes it one: `sessionKey` names a key, `apiKey` is one.
const secretKeyKinds = new Set(['', 'api', 'private', 'secret', 'signing', 'encryption', 'access', 'master', 'auth', 'client'])

/** The words of a camelCase, snake_case or kebab-case key, lower-cased. */
const wordsOf = (key: string): string[] => (key.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g) ?? [key]).map((w) => w.toLowerCase())

/** Whether a key's value is a secret by its name. */
export const isSecretKey = (key: string): boolean => {
  const words = wordsOf(key)
  const last = words.at(-1) ?? ''
  if (secretWords.has(last)) return true
  return (last === 'key' || last === 'keys') && secretKeyKinds.has(words.at(-2) ?? '')
}

/** A URL's password replaced: `scheme://user:***@host`. */
export const maskUrlPassword = (text: string): string => text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*):[^@/\s]+@/gi, `$1:${masked}@`)

function mask(value: unknown, depth: number, seen: WeakSet<object>, root: string | undefined): unknown {
  if (typeof value === 'string') return maskUrlPassword(relative(value, root))
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value
  if (value === undefined) return null
  if (typeof value === 'bigint' || typeof value === 'symbol') return String(value)
  if (typeof value === 'function') return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? `[class ${value.name || 'anonymous'}]` : `[function ${value.name || 'anonymous'}]`
  const object = value as object
  if (seen.has(object)) return '[circular]'
  if (depth >= 6) return '[…]'
  if (value instanceof RegExp) return String(value)
  if (value instanceof Date) return value.toISOString()
  if (value instanceof URL) return maskUrlPassword(value.href)
  seen.add(object)
  try {
    if (Array.isArray(value)) {
      const shown = value.slice(0, 20).map((item) => mask(item, depth + 1, seen, root))
      return value.length > 20 ? [...shown, `[… ${value.length - 20} more]`] : shown
    }
    const proto = Object.getPrototypeOf(object) as object | null
    if (proto !== null && proto !== Object.prototype) {
      // An object of a class, such as MikroORM's EntitySchema: its class, and its name when it has one.
      const kind = (object.constructor as { name?: string } | undefined)?.name || 'object'
      const name = (object as { name?: unknown }).name ?? (object as { meta?: { className?: unknown } }).meta?.className
      return typeof name === 'string' && name ? `[${kind} ${name}]` : `[${kind}]`
    }
    const out: Record<string, unknown> = {}
    // A flag or a number under a secret's name (cors's `credentials: true`) tells nothing away.
    for (const [key, item] of Object.entries(object)) out[key] = isSecretKey(key) && holdsText(item) ? masked : mask(item, depth + 1, seen, root)
    return out
  } finally {
    seen.delete(object)
  }
}

/** Whether a value is or holds a string: what a secret is made of. */
const holdsText = (value: unknown): boolean =>
  typeof value === 'string' ? value !== '' : typeof value === 'object' && value !== null && Object.values(value).some(holdsText)

/** A path inside the project shown relative to it, so the same config reads the same wherever the project is. */
const relative = (text: string, root: string | undefined): string =>
  root !== undefined && (text === root || text.startsWith(`${root}/`)) ? `.${text.slice(root.length)}` || '.' : text

/**
 * Masked options as `key=value` pairs, nested keys dotted, for one line of
 * a table: strings quoted, lists in brackets.
 *
 * @example
 * optionPairs({ limits: { body: 1024 }, views: './views' }) // ['limits.body=1024', "views='./views'"]
 */
export function optionPairs(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix ? [`${prefix}=${show(value)}`] : []
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length === 0) return prefix ? [`${prefix}={}`] : []
  return entries.flatMap(([key, item]) => optionPairs(item, prefix ? `${prefix}.${key}` : key))
}

function show(value: unknown): string {
  if (typeof value === 'string') return value === masked || /^\[.*\]$/.test(value) ? value : value.includes("'") ? JSON.stringify(value) : `'${value}'`
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`
  if (value !== null && typeof value === 'object') return `{${optionPairs(value).join(', ')}}`
  return String(value)
}
