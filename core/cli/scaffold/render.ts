import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { fill } from './placeholders.js'

/** A file of the new project: its path there (with `/`) and its text. */
export interface ProjectFile {
  path: string
  content: string
}

/**
 * npm leaves files named `.gitignore` out of every package it packs, so a
 * scaffold keeps its `gitignore` under that name and the project gets the dot.
 */
const renamed: Readonly<Record<string, string>> = { gitignore: '.gitignore' }

/**
 * The files of a project made from a scaffold: everything under `base/`,
 * then, for each choice in order, everything under `<option>/<value>/` when
 * the scaffold has that folder (a later file replaces an earlier one at the
 * same path). Placeholders are filled in paths and contents. Sorted by path.
 *
 * @example
 * await renderScaffold('/…/presets/fullstack/scaffold', [['template', 'nunjucks']], { name: 'shop', … })
 * // [{ path: '.gitignore', … }, { path: 'README.md', … }, …, { path: 'views/index.njk', … }]
 */
export async function renderScaffold(
  dir: string,
  choices: ReadonlyArray<readonly [option: string, value: string]>,
  values: Readonly<Record<string, string>>,
): Promise<ProjectFile[]> {
  if (!(await isDirectory(join(dir, 'base')))) throw new Error(`The scaffold ${dir} has no base/ folder, so there is nothing to make a project from; the package that declares it is incomplete.`)
  const layers = [join(dir, 'base'), ...choices.map(([option, value]) => join(dir, option, value))]
  const files = new Map<string, ProjectFile>()
  for (const layer of layers) {
    if (!(await isDirectory(layer))) continue
    for (const source of await filesUnder(layer)) {
      const where = relative(dir, source)
      const path = relative(layer, source)
        .split(sep)
        .map((segment) => renamed[segment] ?? fill(segment, values, `${where} (its name)`))
        .join('/')
      files.set(path, { path, content: fill(await readFile(source, 'utf8'), values, where) })
    }
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}
