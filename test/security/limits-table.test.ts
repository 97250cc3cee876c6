import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { StandardSchemaV1 } from 'dovetailjs'
import { isComponentFactory } from '../../core/component/define-component.js'
import { limitsOptions } from '../../core/config/limits.js'
import { workerPoolOptions } from '../../core/server-kit/worker-options.js'
import { cacheResponseOptions } from '../../components/middleware/cache-response/options.js'
import { discover } from '../../core/discovery/catalogue.js'
import { importEntry } from '../../core/discovery/import-entry.js'
import { type OptionLeaf, optionLeaves } from '../support/option-leaves.js'

// docs/security.md has one table of every limit and timeout with its default.
// This checks it against the code both ways: each row's default is what the
// component's options schema gives, and each option that could be a limit has
// a row, or is named below as not one, with the reason.
//
// Which options could be a limit: every option that takes a number (whatever
// its name), and every option whose own name reads like a limit (`maxAge`,
// `connectTimeout`, `sweepInterval`), whatever it takes. A name pattern alone
// would miss `limits.body`, `limits.fields` and `rateLimit.perAccount.window`
// today, and the next limit named like them; a type rule alone would miss a
// limit written as a string ('10mb', '5s'). Together, with every exception
// named here, a new limit cannot go unlisted without this test failing. The
// components are found as an app finds them (the package.json declarations),
// and the schemas are walked whole (test/support/option-leaves.ts fails on a
// kind of schema it does not know), so a new component or a new nesting
// cannot hide one either.

const root = fileURLToPath(new URL('../../', import.meta.url))
const page = 'docs/security.md'
const heading = '## Limits and timeouts'

/** Numeric options (or options named like limits) that are not limits, with the reason. */
const notLimits: Readonly<Record<string, string>> = {
  'middleware/compression threshold': 'a size below which a response is sent uncompressed: crossing it changes the encoding, refuses nothing',
  'middleware/compression syncThreshold': "the body size past which compression runs in zlib's thread pool rather than on the main thread: it moves the work, refuses nothing",
  'middleware/compression gzipLevel': 'a compression level (1-9), not a bound on input',
  'middleware/compression brotliQuality': 'a compression quality (0-11), not a bound on input',
  'middleware/error-pages contextLines': "source lines shown on development's debug page",
  'middleware/cors maxAge': 'how long browsers may cache a preflight answer: a header value sent to the client',
  'middleware/security-headers strictTransportSecurity.maxAge': 'the HSTS max-age sent to browsers: a header value',
  'middleware/static maxAge': 'the Cache-Control max-age sent with files: a header value',
  'server/fastcgi socketMode': 'file permissions of the unix socket',
  'server/scgi socketMode': 'file permissions of the unix socket',
  'orm/mikro-orm pool.min': 'connections kept open when idle: a floor, not a bound',
  'cacheResponse() ttl': "how long a route's responses are kept: required, chosen for each route (the cache contract bounds it at 30 days)",
  'cacheResponse() maxAge': 'the Cache-Control max-age sent with cached responses: a header value',
  'orm/kysely tables.*.*.default': "a declared column's default value, written into the schema",
}

/** Schemas of limits outside any component, by the name the table's Component column uses. */
const schemasOutsideComponents: Readonly<Record<string, StandardSchemaV1>> = {
  'core limits': limitsOptions,
  // runWorkers' supervision (dovetailjs/server-kit, and dovetail start --workers).
  'core workers': workerPoolOptions,
  // Route middleware made by a function rather than a component: its options are limits all the same.
  'cacheResponse()': cacheResponseOptions as StandardSchemaV1,
}

/** The least a component needs to parse, for components with a required option; everything else is its default. */
const requiredInput: Readonly<Record<string, unknown>> = {
  'middleware/session': { secrets: ['x'.repeat(32)] },
  'middleware/static': { root: '.' },
  'router/object-dispatch': { root: {} },
  'cacheResponse()': { ttl: 60_000 },
}

const units = ['ms', 's', 'bytes', 'count', 'characters', 'connections'] as const

const limitWords = new Set(['timeout', 'limit', 'limits', 'max', 'min', 'size', 'length', 'count', 'ttl', 'age', 'bytes', 'interval', 'window', 'retries', 'depth', 'duration', 'threshold', 'expires', 'lifetime'])
/** Whether an option's own name (the last part of its path) has a word that reads like a limit: `maxParamLength`, `connectTimeout`, `sweepInterval`. */
const namedLikeLimit = (path: string): boolean =>
  path
    .split('.')
    .at(-1)!
    .split(/(?=[A-Z])|[_-]/)
    .some((word) => limitWords.has(word.toLowerCase()))

const couldBeLimit = (leaf: OptionLeaf): boolean => leaf.kinds.has('number') || leaf.kinds.has('bigint') || namedLikeLimit(leaf.path)

interface Row {
  component: string
  option: string
  /** The Default cell: a number, or `none`. */
  default: string
  unit: string
  line: number
}

/** The rows of the first table under the heading. */
function tableRows(markdown: string): Row[] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => line.trim() === heading)
  if (start < 0) throw new Error(`${page} has no '${heading}' heading`)
  const rows: Row[] = []
  let inTable = false
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (!line.startsWith('|')) {
      if (inTable) break
      if (line.startsWith('#')) break
      continue
    }
    const cells = line.slice(1, -1).split('|').map((cell) => cell.trim())
    if (!inTable) {
      inTable = true
      expect(cells, `${page}:${i + 1}: the table's columns`).toEqual(['Component', 'Option', 'Default', 'Unit', 'When it is reached'])
      continue
    }
    if (/^-+$/.test(cells[0]!)) continue
    const unquote = (cell: string) => cell.replace(/^`|`$/g, '')
    rows.push({ component: unquote(cells[0]!), option: unquote(cells[1]!), default: cells[2]!, unit: cells[3]!, line: i + 1 })
  }
  return rows
}

interface ComponentOptions {
  schema: StandardSchemaV1
  leaves: OptionLeaf[]
}

/** Every built-in component's options schema, found the way an app finds components, by its name. */
async function componentSchemas(): Promise<Map<string, ComponentOptions>> {
  const found = new Map<string, ComponentOptions>()
  for (const declared of discover(root).components.filter((c) => c.package === 'dovetailjs')) {
    const entry = await importEntry(declared, declared.entry)
    const factory = entry.default
    if (!isComponentFactory(factory)) throw new Error(`${declared.entry}'s default export is not a component factory`)
    const { name, options } = factory.definition
    if (options) found.set(name, { schema: options, leaves: optionLeaves(options, name) })
  }
  for (const [name, schema] of Object.entries(schemasOutsideComponents)) found.set(name, { schema, leaves: optionLeaves(schema, name) })
  return found
}

/** What the schema gives for the option when given no options (or only the required ones). */
async function defaultOf(component: string, schema: StandardSchemaV1, path: string): Promise<unknown> {
  const input = requiredInput[component] ?? {}
  const result = await schema['~standard'].validate(input)
  if (result.issues) {
    throw new Error(
      `${component}'s options schema refuses ${JSON.stringify(input)} (${result.issues.map((i) => i.message).join('; ')}); ` +
        `add the least it needs to requiredInput in test/security/limits-table.test.ts`,
    )
  }
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], result.value)
}

const key = (component: string, option: string) => `${component} ${option}`
const cellOf = (value: unknown): string => (value === undefined ? 'none' : String(value))
const guessUnit = (path: string): string =>
  /timeout|time|interval|window|ttl|duration/i.test(path) ? 'ms' : /size|bytes|body|multipart/i.test(path) ? 'bytes' : /length/i.test(path) ? 'characters' : 'count'

describe(`${page}: the table of limits and timeouts`, () => {
  let rows: Row[]
  let schemas: Map<string, ComponentOptions>
  beforeAll(async () => {
    rows = tableRows(readFileSync(`${root}${page}`, 'utf8'))
    schemas = await componentSchemas()
  })

  it('has a row for every limit and timeout option of every component', async () => {
    const listed = new Set(rows.map((row) => key(row.component, row.option)))
    const missing: string[] = []
    for (const [component, { schema, leaves }] of schemas) {
      for (const leaf of leaves.filter(couldBeLimit)) {
        if (listed.has(key(component, leaf.path)) || key(component, leaf.path) in notLimits) continue
        missing.push(`| \`${component}\` | \`${leaf.path}\` | ${cellOf(await defaultOf(component, schema, leaf.path))} | ${guessUnit(leaf.path)} | <what happens> |`)
      }
    }
    expect(
      missing,
      `${page} has no row for ${missing.length} option(s). Add these rows to the table under '${heading}' (check the unit, say what happens), ` +
        `or, for an option that is not a limit, add it to notLimits in test/security/limits-table.test.ts with the reason:\n${missing.join('\n')}\n`,
    ).toEqual([])
  })

  it("gives each row the default its component's schema gives, for an option that exists", async () => {
    const wrong: string[] = []
    for (const row of rows) {
      const where = `${page}:${row.line} (${row.component} ${row.option})`
      const options = schemas.get(row.component)
      if (!options) {
        wrong.push(`${where}: no component '${row.component}' with an options schema; known: ${[...schemas.keys()].sort().join(', ')}`)
        continue
      }
      if (!options.leaves.some((leaf) => leaf.path === row.option)) {
        wrong.push(`${where}: ${row.component} has no option '${row.option}'`)
        continue
      }
      const actual = cellOf(await defaultOf(row.component, options.schema, row.option))
      if (row.default !== actual) wrong.push(`${where}: the table says ${row.default}, the schema gives ${actual}`)
      if (!units.includes(row.unit.split(' ')[0] as (typeof units)[number])) wrong.push(`${where}: unit '${row.unit}' starts with none of ${units.join(', ')}`)
    }
    expect(wrong, `rows of ${page} that disagree with the code:\n${wrong.join('\n')}\n`).toEqual([])
  })

  it('lists each option once, and none that is also named as not a limit', () => {
    const seen = new Set<string>()
    const problems: string[] = []
    for (const row of rows) {
      const k = key(row.component, row.option)
      if (seen.has(k)) problems.push(`${page}:${row.line}: ${k} has a second row`)
      if (k in notLimits) problems.push(`${page}:${row.line}: ${k} has a row, and notLimits says it is no limit; keep one`)
      seen.add(k)
    }
    expect(problems, problems.join('\n')).toEqual([])
  })

  it('names as not a limit only options that exist', () => {
    const stale = Object.keys(notLimits).filter((k) => {
      const [component, option] = k.split(' ') as [string, string]
      return !schemas.get(component)?.leaves.some((leaf) => leaf.path === option)
    })
    expect(stale, `notLimits in test/security/limits-table.test.ts names options that no longer exist: ${stale.join(', ')}`).toEqual([])
  })
})
