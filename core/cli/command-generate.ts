import { existsSync, readdirSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { inspectConfig } from '../app/inspect-config.js'
import { corePackage } from '../discovery/installed-packages.js'
import { componentFiles } from './generate/component-files.js'
import { parseFields } from './generate/fields.js'
import { resourceNames } from './generate/names.js'
import { resourceFiles, type ResourceStyle } from './generate/resource-files.js'
import type { CliIo } from './io.js'
import { openConfig } from './open-config.js'
import { parseOptions } from './parse-options.js'
import { exitCodes, UsageError } from './usage-error.js'

export const generateUsage = `Usage: dovetail generate resource <name> [--fields <name:type,…>] [--plural <name>] [--json] [--config <module>]
       dovetail generate component <package-name> [--slot middleware]

generate resource: write a resource into the project of a config with an orm component and the
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

generate component: write a component package in the shape a third-party
package needs, in a new folder named after the package: package.json with
the dovetail declaration (slot, name, entry, contract range), the component
with an options schema, its error codes, the slot's conformance kit and a
test, tsconfigs and a README. Middleware for now: a working one that sets a
response header, to start from. The name an app's config uses is the package
name without its scope and a dovetail- prefix (dovetail-stamp: stamp).

Options:
      --fields <list>    the fields, name:type separated by commas; types:
                         string (500 characters), text, integer, boolean
                         (default: name:string)
      --plural <name>    the plural, when the English rules get it wrong
      --json             JSON routes even when the config has a template engine
      --slot <slot>      the component's slot  (default and, for now, only: middleware)
  -c, --config <module>  the config, to see its slots  (default: app.ts)
  -h, --help             show this help`

/**
 * `dovetail generate resource <name>`: the files of a resource, in the
 * style of the config's slots (pages in its template engine, or JSON).
 * `dovetail generate component <package-name>`: a component package.
 *
 * @example
 * await generateCommand(['resource', 'book', '--fields', 'title,pages:integer'], processIo())
 * await generateCommand(['component', 'dovetail-stamp'], processIo())
 */
export async function generateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('generate', args, {
    config: { type: 'string', short: 'c' },
    fields: { type: 'string' },
    plural: { type: 'string' },
    json: { type: 'boolean' },
    slot: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.out(generateUsage)
    return exitCodes.ok
  }
  const [kind, name, ...rest] = positionals
  if (kind === 'component') return generateComponent(name, rest, values.slot, io)
  if (kind !== 'resource') {
    throw new UsageError(kind === undefined ? 'dovetail generate needs what to generate: dovetail generate resource <name>, or component <package-name>.' : `Unknown kind '${kind}'. dovetail generate makes: resource, component.`)
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
  // The files written are MikroORM's (an entity, a migration class, routes on Em): refused on any other ORM rather than written wrong.
  const orm = named('orm')[0]!
  if (orm !== 'orm/mikro-orm' && orm !== 'mikro-orm') {
    throw new UsageError(`generate resource writes MikroORM code (an entity, a migration, routes on Em), but ${opened.shown}'s orm component is '${orm}'. With orm/kysely, write the migration and the routes by hand (see docs/orm.md#kysely).`)
  }
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

/** `dovetail generate component <package-name>`: a middleware component package in a new folder. */
async function generateComponent(packageName: string | undefined, rest: readonly string[], slot: string | undefined, io: CliIo): Promise<number> {
  if (packageName === undefined) throw new UsageError('dovetail generate component needs the npm name of the package: dovetail generate component dovetail-stamp.')
  if (rest.length) throw new UsageError(`dovetail generate component takes one package name, got ${[packageName, ...rest].join(' ')}.`)
  if (!/^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(packageName) || packageName.length > 214) {
    throw new UsageError(`'${packageName}' is not an npm package name: lower-case letters, digits, - . _ ~, optionally @scope/ first (dovetail-stamp, @acme/dovetail-stamp).`)
  }
  if ((slot ?? 'middleware') !== 'middleware') {
    throw new UsageError(`generate component writes middleware packages for now, not ${slot}. For another slot, start from docs/examples/component-package (a template engine) and docs/writing-a-component.md.`)
  }
  const bare = packageName.replace(/^@[^/]+\//, '')
  const shortName = bare.replace(/^dovetail-/, '') || bare
  const camel = shortName.replace(/[-._~]+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '')
  if (!/^[a-z]/.test(camel)) throw new UsageError(`'${packageName}' gives the component name '${shortName}', which does not start with a letter; choose a name that does.`)
  const dir = join(io.cwd ?? process.cwd(), bare)
  if (existsSync(dir) && readdirSync(dir).length) throw new UsageError(`${dir} exists and is not empty. Nothing is ever overwritten; choose another name or remove it.`)
  const own = corePackage().manifest as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
  const dev = (name: string) => own.devDependencies?.[name] ?? own.dependencies?.[name] ?? '*'
  const files = componentFiles({
    packageName,
    shortName,
    camel,
    dovetailVersion: corePackage().version,
    devVersions: { '@types/node': dev('@types/node'), typescript: dev('typescript'), vitest: dev('vitest'), zod: dev('zod') },
  })
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true })
    await writeFile(join(dir, file.path), file.text, { flag: 'wx' })
  }
  io.out(`Created ${bare}: the package ${packageName}, a middleware component named '${shortName}' in an app's config.`)
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) io.out(`  ${file.path}`)
  io.out('')
  io.out('Next:')
  io.out(`  cd ${bare}`)
  io.out('  npm install')
  io.out('  npm test')
  return exitCodes.ok
}

/** `20250601120000`: a migration's time, UTC, as the scaffolds and MikroORM name them. */
const timestamp = (date: Date): string => date.toISOString().replace(/\D/g, '').slice(0, 14)
