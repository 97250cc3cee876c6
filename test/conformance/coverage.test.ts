import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { discover, slotNames, type SlotName } from 'dovetailjs'
import * as kits from 'dovetailjs/testing/conformance'

/**
 * The promise to component authors: every slot has a kit in
 * dovetailjs/testing/conformance, and every built-in of the slot passes it.
 * The built-ins come from package.json's declarations (discover()), the one
 * list the app itself uses; a built-in counts as run through its slot's kit
 * when one test file both calls the kit and imports the built-in's folder.
 * That is a reading of the sources, not of a run: it catches a kit or a
 * built-in that nobody wired up, which is the mistake that happens.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))

const kitName = (slot: SlotName) => `run${slot.replace(/(^|-)([a-z])/g, (_, _dash, letter: string) => letter.toUpperCase())}Conformance`

/** Every test file of the repository, with its source. */
const testFiles = ['test', 'components', 'core']
  .flatMap((top) => readdirSync(join(root, top), { recursive: true, encoding: 'utf8' }).map((file) => join(top, file)))
  .filter((file) => file.endsWith('.test.ts') && !file.includes('node_modules'))
  .map((file) => ({ file, source: readFileSync(join(root, file), 'utf8') }))

/** The component folders a file imports, as repository paths (`components/middleware/cors`), public or relative. */
function importedFolders(file: string, source: string): string[] {
  return [...source.matchAll(/from\s+'([^']+)'/g)].flatMap(([, specifier]) => {
    const path = specifier!.startsWith('dovetailjs/components/')
      ? specifier!.slice('dovetailjs/'.length)
      : specifier!.startsWith('.')
        ? relative(root, resolve(dirname(join(root, file)), specifier!))
        : undefined
    return path?.startsWith('components/') ? [path.split('/').slice(0, 3).join('/')] : []
  })
}

const builtIns = discover(root).components.filter((c) => c.package === 'dovetailjs')

describe('every slot has a conformance kit that each built-in runs', () => {
  it('finds the built-ins through discover()', () => {
    expect(new Set(builtIns.map((c) => c.slot))).toEqual(new Set(slotNames))
  })

  for (const slot of slotNames) {
    describe(slot, () => {
      const name = kitName(slot)

      it(`dovetailjs/testing/conformance exports ${name}`, () => {
        expect(typeof (kits as Record<string, unknown>)[name], `no ${name} in dovetailjs/testing/conformance: the ${slot} slot has no kit`).toBe('function')
      })

      for (const builtIn of builtIns.filter((c) => c.slot === slot)) {
        const folder = builtIn.entry.replace(/^\.\//, '')
        it(`${slot}/${builtIn.name} runs ${name}`, () => {
          const runners = testFiles.filter(({ file, source }) => new RegExp(`\\b${name}(<[^>]*>)?\\(`).test(source) && importedFolders(file, source).includes(folder))
          expect(runners.map((r) => r.file), `no test file calls ${name} with ${folder}`).not.toEqual([])
        })
      }
    })
  }
})
