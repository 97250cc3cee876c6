import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { fill } from './placeholders.js'

const key = z.string().regex(/^[A-Za-z][\w-]*$/, 'a placeholder name: a letter, then letters, digits, _ or -')

/**
 * `scaffold.json`, beside a scaffold's `base/` folder: what its files need
 * beyond the built-in placeholders. Everything is optional.
 *
 * @example
 * {
 *   "values": { "databaseUrl": { "by": "db", "cases": { "sqlite": "file:./data/app.db", "*": "postgresql://127.0.0.1/{{snakeName}}" } } },
 *   "next": ["npm install", "npm run db:migrate", "npm run dev"]
 * }
 */
export const scaffoldManifestSchema = z.strictObject({
  /**
   * Placeholders whose text depends on one choice of `dovetail new`: `by`
   * names the option (`container`, `template`, `db`, `session-store`), `cases`
   * gives the text for each of its values, `"*"` for any other. The texts may
   * hold built-in placeholders.
   */
  values: z.record(key, z.strictObject({ by: key, cases: z.record(z.string(), z.string()) })).default({}),
  /** The commands printed after the project is made, each run in its folder. */
  next: z.array(z.string().min(1)).default(['npm install', 'npm run dev']),
})

export type ScaffoldManifest = z.output<typeof scaffoldManifestSchema>

/**
 * A scaffold's manifest, or the defaults when it has none.
 *
 * @example
 * (await readScaffoldManifest('/…/presets/api/scaffold')).next // ['npm install', 'npm run db:migrate', 'npm run dev']
 */
export async function readScaffoldManifest(dir: string): Promise<ScaffoldManifest> {
  const file = join(dir, 'scaffold.json')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    // A scaffold with nothing to configure needs no manifest.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return scaffoldManifestSchema.parse({})
    throw error
  }
  const parsed = scaffoldManifestSchema.safeParse(JSON.parse(text))
  if (!parsed.success) {
    throw new Error(`${file} is malformed:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`)
  }
  return parsed.data
}

/**
 * The manifest's placeholders for these choices, each filled with the
 * built-in values.
 *
 * @example
 * manifestValues(manifest, { db: 'sqlite' }, { snakeName: 'shop' }, file) // { databaseUrl: 'file:./data/app.db' }
 */
export function manifestValues(
  manifest: ScaffoldManifest,
  choices: Readonly<Record<string, string>>,
  builtIns: Readonly<Record<string, string>>,
  where: string,
): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [name, { by, cases }] of Object.entries(manifest.values)) {
    const choice = choices[by]
    if (choice === undefined) throw new Error(`${where}: values.${name} depends on '${by}', which is not a choice this preset takes. Choices: ${Object.keys(choices).join(', ') || 'none'}.`)
    const text = cases[choice] ?? cases['*']
    if (text === undefined) throw new Error(`${where}: values.${name} has no case for ${by} '${choice}' and no "*" case.`)
    values[name] = fill(text, builtIns, `${where} (values.${name})`)
  }
  return values
}
