import { mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { readPreset } from '../config/resolve-config.js'
import { type Catalogue, discover, type InstalledPreset, qualifiedName } from '../discovery/catalogue.js'
import type { DatabaseName } from '../discovery/declaration.js'
import { corePackage } from '../discovery/installed-packages.js'
import type { CliIo } from './io.js'
import { parseOptions } from './parse-options.js'
import { choiceOptions, presetChoices, type OptionChoices } from './scaffold/choices.js'
import { dovetailSpec } from './scaffold/dovetail-spec.js'
import { manifestValues, readScaffoldManifest } from './scaffold/manifest.js'
import { projectComponents, projectDependencies } from './scaffold/packages.js'
import { type ProjectFile, renderScaffold } from './scaffold/render.js'
import { UsageError } from './usage-error.js'

/**
 * `dovetail new --help`: the presets that have a scaffold, and the options
 * each takes with their values, all from the installed packages.
 */
export async function newUsage(catalogue: Catalogue): Promise<string> {
  const lines: string[] = []
  for (const declared of scaffolded(catalogue)) {
    const choices = presetChoices(await readPreset(catalogue, qualifiedName(declared)), catalogue, scaffoldDir(declared))
    const options = choices.map((c) => `    --${c.option} ${c.values.join(' | ')}  (default: ${c.default})`)
    lines.push(`  ${declared.name}`, ...options)
  }
  return `Usage: dovetail new <dir> [--preset <name>] [--container <name>] [--template <name>] [--orm <name>] [--db <name>] [--session-store <name>]

Start a project in <dir> (created if missing; it must be empty) from a preset's
scaffold: package.json, app.ts (the config), server.ts, tests and a README.

Options:
  --preset <name>         the preset  (default: minimal)
  --container <name>      the DI container  (default: the preset's)
  --template <name>       the template engine, for presets with templates  (default: the preset's)
  --orm <name>            the ORM component, for presets with a database  (default: the preset's)
  --db <name>             the database, for presets with one  (default: sqlite)
  --session-store <name>  where sessions are kept, for presets with sessions  (default: the preset's)
  -h, --help              show this help

Presets, and the values each option takes with them:
${lines.join('\n')}`
}

/**
 * `dovetail new <dir>`: write a project from a preset's scaffold into an empty
 * directory. The preset, its components and the packages they need are read
 * from the installed packages' declarations (see docs/presets.md). Returns the
 * exit code.
 *
 * @example
 * await newCommand(['shop', '--preset', 'fullstack', '--template', 'nunjucks', '--db', 'postgresql'], processIo())
 */
export async function newCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('new', args, {
    preset: { type: 'string' },
    container: { type: 'string' },
    template: { type: 'string' },
    orm: { type: 'string' },
    db: { type: 'string' },
    'session-store': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  const cwd = io.cwd ?? process.cwd()
  const catalogue = discover(cwd)
  if (values.help) {
    io.out(await newUsage(catalogue))
    return 0
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? `dovetail new takes one directory, got ${positionals.length}: ${positionals.join(' ')}.` : 'dovetail new needs the directory to create the project in, e.g. dovetail new my-app.')
  }
  const presetName = values.preset ?? 'minimal'
  const declared = pickPreset(catalogue, presetName)
  const preset = await readPreset(catalogue, qualifiedName(declared))
  const scaffold = scaffoldDir(declared)
  const offered = presetChoices(preset, catalogue, scaffold)
  const chosen = pickChoices(presetName, offered, values)
  const target = resolve(cwd, positionals[0]!)
  await checkEmpty(target)

  const name = packageName(target)
  const core = corePackage()
  const builtIns = {
    name,
    snakeName: name.replace(/[^a-z0-9]+/g, '_'),
    preset: presetName,
    dovetailVersion: core.version,
    // The first migration is named after the time, as MikroORM's migration:create names them, so later ones sort after it.
    timestamp: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
    ...chosen,
  }
  const manifest = await readScaffoldManifest(scaffold)
  const placeholders = { ...builtIns, ...manifestValues(manifest, chosen, builtIns, join(scaffold, 'scaffold.json')) }
  const ordered = choiceOptions.flatMap((option) => (chosen[option] ? [[option, chosen[option]] as const] : []))
  const files = await renderScaffold(scaffold, ordered, placeholders)
  const components = projectComponents(preset, chosen, catalogue)
  const dependencies = { dovetailjs: dovetailSpec(core), ...projectDependencies(components, chosen.db as DatabaseName | undefined, catalogue) }
  const written = files.map((file) => (file.path === 'package.json' ? withDependencies(file, dependencies) : file))

  for (const file of written) {
    const path = join(target, file.path)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, file.content, { flag: 'wx' })
  }

  const fromCwd = relative(cwd, target)
  const shown = fromCwd === '' ? '.' : fromCwd.startsWith('..') || isAbsolute(fromCwd) ? target : fromCwd
  const summary = ordered.map(([option, value]) => `${option} ${value}`).join(', ')
  io.out(`Created ${shown}: the ${presetName} preset${summary ? `, ${summary}` : ''}.`)
  for (const file of written) io.out(`  ${file.path}`)
  io.out('')
  io.out('Next:')
  if (shown !== '.') io.out(`  cd ${shown}`)
  for (const step of manifest.next) io.out(`  ${step}`)
  return 0
}

const scaffolded = (catalogue: Catalogue): InstalledPreset[] => catalogue.presets.filter((p) => p.scaffold !== undefined)

const scaffoldDir = (declared: InstalledPreset): string => join(declared.dir, declared.scaffold!)

function pickPreset(catalogue: Catalogue, name: string): InstalledPreset {
  const usable = scaffolded(catalogue)
  const named = catalogue.presets.filter((p) => p.name === name || qualifiedName(p) === name)
  const listed = usable.map((p) => p.name).join(', ')
  if (named.length === 0) throw new UsageError(`Unknown preset '${name}'. Presets: ${listed}.`)
  if (named.length > 1) throw new UsageError(`'${name}' could mean ${named.map(qualifiedName).join(', ')}. Name one of them that way.`)
  if (named[0]!.scaffold === undefined) {
    throw new UsageError(`The preset '${name}' (${named[0]!.package}) has no scaffold, so dovetail new cannot start a project from it. Presets with one: ${listed}.`)
  }
  return named[0]!
}

/** The value of each option the preset takes: given, else its default. Options it does not take, and unknown values, are usage errors. */
function pickChoices(preset: string, offered: readonly OptionChoices[], given: Readonly<Record<string, unknown>>): Record<string, string> {
  const chosen: Record<string, string> = {}
  for (const option of choiceOptions) {
    const value = given[option] as string | undefined
    const choices = offered.find((c) => c.option === option)
    if (!choices) {
      if (value === undefined) continue
      const takes = offered.map((c) => `--${c.option}`).join(', ') || 'none'
      throw new UsageError(`The ${preset} preset takes no --${option}: it has no ${option === 'db' ? 'database' : `${option} slot`}. Options it takes: ${takes}.`)
    }
    if (value !== undefined && !choices.values.includes(value)) {
      throw new UsageError(`Unknown ${option} '${value}'. Choices for --${option} with the ${preset} preset: ${choices.values.join(', ')}.`)
    }
    chosen[option] = value ?? choices.default
  }
  return chosen
}

/** The scaffold's package.json with the dependencies the components need added to its own. */
function withDependencies(file: ProjectFile, dependencies: Readonly<Record<string, string>>): ProjectFile {
  const manifest = JSON.parse(file.content) as { dependencies?: Record<string, string> }
  const merged = { ...dependencies, ...manifest.dependencies }
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1)))
  // dependencies after devDependencies would read oddly; put it before them.
  const { devDependencies, ...rest } = manifest as { devDependencies?: unknown }
  return { path: file.path, content: `${JSON.stringify({ ...rest, dependencies: sorted, ...(devDependencies ? { devDependencies } : {}) }, null, 2)}\n` }
}

async function checkEmpty(target: string): Promise<void> {
  let entries: string[]
  try {
    if (!(await stat(target)).isDirectory()) throw new UsageError(`${target} exists and is not a directory. Choose a new directory name.`)
    entries = await readdir(target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  if (entries.length > 0) {
    const listed = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '')
    throw new UsageError(`${target} is not empty (${listed}). dovetail new writes only into a new or empty directory, so nothing is overwritten; choose another.`)
  }
}

/**
 * An npm package name from the directory's name: lower case, letters, digits,
 * `-`, `.` and `_`, not starting with `.` or `_`.
 *
 * @example
 * packageName('/home/ada/My Shop') // 'my-shop'
 */
export function packageName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '')
    .slice(0, 214)
  return name || 'dovetail-app'
}
