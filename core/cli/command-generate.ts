import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { inspectConfig } from '../app/inspect-config.js'
import { parseFields } from './generate/fields.js'
import { resourceNames } from './generate/names.js'
import { resourceFiles, type ResourceStyle } from './generate/resource-files.js'
import type { CliIo } from './io.js'
import { openConfig } from './open-config.js'
import { parseOptions } from './parse-options.js'
import { exitCodes, UsageError } from './usage-error.js'

export const generateUsage = `Usage: dovetail generate resource <name> [--fields <name:type,…>] [--plural <name>] [--json] [--config <module>]

Write a resource into the project of a config with an orm component and the
body middleware (the api and fullstack presets):

  <plural>.ts                  the entity, a check of what a request may set
                               (a 422 naming the field) and its routes
  migrations/Migration…_<plural>.ts
                               the migration that makes its table
  test/<plural>.test.ts        tests through the test client
  views/<plural>/…             with a template engine (eta, nunjucks): a list
                               page with a form, and a page per record

The routes are pages when the config has a template engine, JSON otherwise
(--json: JSON anyway). Nothing is overwritten. The last lines say what to
add to app.ts, database.ts and migrations/index.ts to use it.

Options:
      --fields <list>    the fields, name:type separated by commas; types:
                         string (500 characters), text, integer, boolean
                         (default: name:string)
      --plural <name>    the plural, when the English rules get it wrong
      --json             JSON routes even when the config has a template engine
  -c, --config <module>  the config, to see its slots  (default: app.ts)
  -h, --help             show this help`

/**
 * `dovetail generate resource <name>`: the files of a resource, in the
 * style of the config's slots (pages in its template engine, or JSON).
 *
 * @example
 * await generateCommand(['resource', 'book', '--fields', 'title,pages:integer'], processIo())
 */
export async function generateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('generate', args, {
    config: { type: 'string', short: 'c' },
    fields: { type: 'string' },
    plural: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.out(generateUsage)
    return exitCodes.ok
  }
  const [kind, name, ...rest] = positionals
  if (kind !== 'resource') {
    throw new UsageError(kind === undefined ? 'dovetail generate needs what to generate: dovetail generate resource <name>.' : `Unknown kind '${kind}'. dovetail generate makes: resource.`)
  }
  if (name === undefined) throw new UsageError('dovetail generate resource needs the name of one record: dovetail generate resource book.')
  if (rest.length) throw new UsageError(`dovetail generate resource takes one name, got ${positionals.slice(1).join(' ')}. Fields go in --fields title,pages:integer.`)
  const names = resourceNames(name, values.plural)
  const fields = parseFields(values.fields ?? 'name:string')

  const opened = await openConfig(values, io)
  const root = dirname(opened.file)
  const { entries } = await inspectConfig(opened.config)
  const named = (slot: string) => entries.filter((e) => e.slot === slot && e.component).map((e) => e.component!.source?.name ?? e.component!.definition.name)
  if (named('orm').length === 0) throw new UsageError(`${opened.shown} has no orm component: a resource is stored in the database. Add one (components.orm), as the api and fullstack presets do.`)
  const middleware = named('middleware')
  const has = (short: string) => middleware.some((m) => m === short || m === `middleware/${short}`)
  if (!has('body')) throw new UsageError(`${opened.shown} has no body middleware, which a resource's routes read requests with. Add it: components.middleware: { append: ['body'] }.`)
  const [engine] = named('template')
  let style: ResourceStyle = { kind: 'json' }
  if (engine !== undefined && !values.json) {
    const short = engine.replace(/^template\//, '')
    if (short !== 'eta' && short !== 'nunjucks') throw new UsageError(`generate writes views for eta and nunjucks, and ${opened.shown}'s template engine is ${engine}. Pass --json for JSON routes.`)
    style = { kind: 'html', engine: short, csrf: has('csrf') }
  }

  const files = resourceFiles(names, fields, style, timestamp(new Date()))
  const existing = files.filter((f) => existsSync(join(root, f.path))).map((f) => f.path)
  if (existing.length) throw new UsageError(`Not written: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${root}. Nothing is ever overwritten; remove ${existing.length === 1 ? 'it' : 'them'} or choose another name.`)
  for (const file of files) {
    await mkdir(dirname(join(root, file.path)), { recursive: true })
    await writeFile(join(root, file.path), file.text, { flag: 'wx' })
  }

  const migration = files[1]!.path.replace(/^migrations\/|\.ts$/g, '')
  const module = `./${names.pluralKebab}.js`
  io.out(
    `Created the ${names.words} resource: entity ${names.Singular}, ${style.kind === 'json' ? 'JSON routes' : `pages (${style.engine})`} under /${names.pluralKebab}, a migration and a test.`,
  )
  for (const file of files) io.out(`  ${file.path}`)
  io.out('')
  io.out('Next, wire it into the app:')
  io.out(`  ${existsSync(join(root, 'database.ts')) ? 'database.ts' : 'the orm component'}: import { ${names.Singular} } from '${module}', and add ${names.Singular} to the entities`)
  io.out(`  ${existsSync(join(root, 'migrations', 'index.ts')) ? 'migrations/index.ts' : 'the orm component'}: import { ${migration} } from './${migration}.js', and add it to the list`)
  io.out(`  ${opened.shown}: import { ${names.singular}Routes } from '${module}', and call ${names.singular}Routes(r) in routes(r)`)
  io.out('Then:')
  io.out('  npm run db:migrate')
  io.out('  npm test')
  return exitCodes.ok
}

/** `20250601120000`: a migration's time, UTC, as the scaffolds and MikroORM name them. */
const timestamp = (date: Date): string => date.toISOString().replace(/\D/g, '').slice(0, 14)
