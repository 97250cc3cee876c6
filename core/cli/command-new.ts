import { mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { discover } from '../discovery/catalogue.js'
import type { CliIo } from './io.js'
import { ownPackage } from './own-package.js'
import { parseOptions } from './parse-options.js'
import { defaultTemplate, type ProjectChoices } from './scaffold/choices.js'
import { presetNames, type PresetName } from './scaffold/preset-needs.js'
import { projectFiles } from './scaffold/project-files.js'
import { UsageError } from './usage-error.js'

const namesFor = (slot: string) => discover().components.filter((c) => c.slot === slot).map((c) => c.name)
const containers = namesFor('container')
const templates = namesFor('template')

export const newUsage = `Usage: dovetail new <dir> [--preset <name>] [--container <name>] [--template <name>]

Start a project in <dir> (created if missing; it must be empty): package.json,
tsconfig.json, app.ts (the config), server.ts, a test, README.md and .gitignore.

Options:
  --preset <name>     ${presetNames.join(' | ')}  (default: minimal)
  --container <name>  ${containers.join(' | ')}  (default: the preset's, awilix)
  --template <name>   ${templates.join(' | ')}  (default: none; eta for fullstack)
  -h, --help          show this help`

/**
 * `dovetail new <dir>`: write a project from a preset into an empty directory.
 * Returns the exit code.
 *
 * @example
 * await newCommand(['shop', '--preset', 'fullstack', '--template', 'nunjucks'], processIo())
 */
export async function newCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('new', args, {
    preset: { type: 'string' },
    container: { type: 'string' },
    template: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.out(newUsage)
    return 0
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length ? `dovetail new takes one directory, got ${positionals.length}: ${positionals.join(' ')}.` : 'dovetail new needs the directory to create the project in, e.g. dovetail new my-app.')
  }
  const preset = pick('preset', values.preset ?? 'minimal', presetNames) as PresetName
  const container = pick('container', values.container ?? 'awilix', containers)
  const template = values.template === undefined ? defaultTemplate(preset) : pick('template', values.template, templates)
  const cwd = io.cwd ?? process.cwd()
  const target = resolve(cwd, positionals[0]!)
  await checkEmpty(target)

  const choices: ProjectChoices = { name: packageName(target), preset, container, template, now: new Date() }
  const files = projectFiles(choices, ownPackage())
  for (const file of files) {
    const path = join(target, file.path)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, file.content, { flag: 'wx' })
  }

  const fromCwd = relative(cwd, target)
  const shown = fromCwd === '' ? '.' : fromCwd.startsWith('..') || isAbsolute(fromCwd) ? target : fromCwd
  io.out(`Created ${shown}: the ${preset} preset, container ${container}, ${template ? `templates ${template}` : 'no templates'}.`)
  for (const file of files) io.out(`  ${file.path}`)
  io.out('')
  io.out('Next:')
  if (shown !== '.') io.out(`  cd ${shown}`)
  io.out('  npm install')
  if (files.some((f) => f.path.startsWith('migrations/'))) io.out('  npm run db:migrate')
  io.out('  npm run dev')
  return 0
}

function pick(option: string, value: string, allowed: readonly string[]): string {
  if (allowed.includes(value)) return value
  throw new UsageError(`Unknown ${option} '${value}'. ${option === 'preset' ? 'Presets' : `Choices for --${option}`}: ${allowed.join(', ')}.`)
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
