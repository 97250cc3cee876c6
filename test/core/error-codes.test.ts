import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { coreErrorCodes, type ErrorCodeInfo } from 'dovetailjs'
import { discover } from '../../core/discovery/catalogue.js'
import { importEntry } from '../../core/discovery/import-entry.js'

// Each code has one owner, the core or the built-in component that throws it,
// and one row in docs/errors.md under that owner's heading. The owners are
// found the way an app finds them (discovery, then each declared entry), so a
// new built-in's errorCodes are checked without being listed here.

const root = fileURLToPath(new URL('../../', import.meta.url))
const docsFile = 'docs/errors.md'

interface Owner {
  /** `core`, or the component as `<slot>/<name>`, as its heading in docs/errors.md says. */
  name: string
  codes: readonly ErrorCodeInfo[]
}

async function definedOwners(): Promise<Owner[]> {
  const owners: Owner[] = [{ name: 'core', codes: coreErrorCodes }]
  for (const declared of discover(root).components.filter((c) => c.package === 'dovetailjs')) {
    const { errorCodes } = await importEntry(declared, declared.entry)
    // A component that raises no code of its own need not export a list.
    if (errorCodes === undefined) continue
    owners.push({ name: `${declared.slot}/${declared.name}`, codes: errorCodes as readonly ErrorCodeInfo[] })
  }
  return owners
}

interface DocRow {
  code: string
  /** The owner heading the row sits under (`## Core` is `core`, `### middleware/body` is that), if any. */
  owner: string | undefined
  line: number
}

/** Every table row of the page that starts with a code, with the owner section it is in. */
function documentedRows(markdown: string): DocRow[] {
  const rows: DocRow[] = []
  let owner: string | undefined
  let fenced = false
  markdown.split('\n').forEach((text, index) => {
    if (text.startsWith('```')) fenced = !fenced
    if (fenced) return
    const heading = /^(#{2,3}) +(.+?) *$/.exec(text)
    if (heading) {
      const title = heading[2]!.replaceAll('`', '')
      owner = heading[1] === '##' ? (title === 'Core' ? 'core' : undefined) : title
      return
    }
    const row = /^\|\s*`([^`]+)`\s*\|/.exec(text)
    if (row) rows.push({ code: row[1]!, owner, line: index + 1 })
  })
  return rows
}

/** The `DOVETAIL_ERR_` codes named in the non-test sources and the docs, with where each is named. */
function namedInSources(): Map<string, string> {
  const named = new Map<string, string>()
  const visit = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') visit(path)
        continue
      }
      if (!/\.(ts|md)$/.test(entry.name) || entry.name.endsWith('.test.ts')) continue
      note(path)
    }
  }
  const note = (path: string) => {
    for (const [code] of readFileSync(join(root, path), 'utf8').matchAll(/DOVETAIL_ERR_[A-Z0-9_]+/g)) {
      // A trailing _ is a prefix in prose (`DOVETAIL_ERR_HTTP_${status}`), and DOVETAIL_ERR_HTTP_<status>
      // is what HttpError gives a status without a code of its own (see the page): neither is a code to define.
      if (code.endsWith('_') || /^DOVETAIL_ERR_HTTP_\d{3}$/.test(code)) continue
      if (!named.has(code)) named.set(code, path)
    }
  }
  for (const dir of ['core', 'components', 'docs', 'presets']) visit(dir)
  note('README.md')
  return named
}

const owners = await definedOwners()
const rows = documentedRows(readFileSync(join(root, docsFile), 'utf8'))
const defined = owners.flatMap((owner) => owner.codes.map((info) => ({ owner: owner.name, info })))
const ownerOf = new Map(defined.map(({ owner, info }) => [info.code, owner]))

describe('error codes', () => {
  it('finds the core and the built-ins that own codes', () => {
    expect(owners.map((o) => o.name)).toEqual(expect.arrayContaining(['core', 'middleware/body', 'middleware/auth', 'orm/mikro-orm']))
    for (const { owner, info } of defined) {
      expect(typeof info.code, `an entry of ${owner}'s errorCodes`).toBe('string')
      expect(info.meaning, `${info.code}'s meaning`).toMatch(/\S/)
    }
  })

  it('has one owner per code', () => {
    const byCode = new Map<string, string[]>()
    for (const { owner, info } of defined) byCode.set(info.code, [...(byCode.get(info.code) ?? []), owner])
    const twice = [...byCode].filter(([, by]) => by.length > 1).map(([code, by]) => `${code} is defined by ${by.join(' and ')}`)
    expect(twice).toEqual([])
  })

  it(`documents every code in ${docsFile}, under its owner`, () => {
    const problems: string[] = []
    for (const { owner, info } of defined) {
      const found = rows.filter((row) => row.code === info.code)
      const heading = owner === 'core' ? '## Core' : `### ${owner}`
      if (found.length === 0) problems.push(`${info.code} (${owner}) has no row; add one under '${heading}'`)
      for (const row of found) {
        if (row.owner !== owner) problems.push(`${info.code} is defined by ${owner}, but line ${row.line} documents it under ${row.owner ?? 'no owner heading'}; move it under '${heading}'`)
      }
      if (found.length > 1) problems.push(`${info.code} has ${found.length} rows (lines ${found.map((r) => r.line).join(', ')})`)
    }
    expect(problems).toEqual([])
  })

  it(`documents no code in ${docsFile} that does not exist`, () => {
    const unknown = rows.filter((row) => !ownerOf.has(row.code)).map((row) => `line ${row.line}: ${row.code} is defined by no owner`)
    expect(unknown).toEqual([])
  })

  it('names no DOVETAIL_ERR_ code in the sources or docs that no owner defines', () => {
    const stray = [...namedInSources()].filter(([code]) => !ownerOf.has(code)).map(([code, file]) => `${code} (in ${file})`)
    expect(stray).toEqual([])
  })

  it('gives built-in codes the DOVETAIL_ERR_<AREA>_<DETAIL> form', () => {
    const malformed = defined.map(({ info }) => info.code).filter((code) => !/^DOVETAIL_ERR_[A-Z]+_[A-Z_]+$/.test(code))
    expect(malformed).toEqual([])
  })
})

describe('documentedRows', () => {
  it('files each row under the heading above it, and skips fenced examples', () => {
    const page = [
      '## Core',
      '| code | meaning |',
      '| `A_ERR_X_Y` | core |',
      '## Built-in components',
      '### `middleware/body`',
      '| `B_ERR_X_Y` | body |',
      '```md',
      '| `C_ERR_X_Y` | an example |',
      '```',
      '## Other packages',
      '| `D_ERR_X_Y` | nobody |',
    ].join('\n')
    expect(documentedRows(page)).toEqual([
      { code: 'A_ERR_X_Y', owner: 'core', line: 3 },
      { code: 'B_ERR_X_Y', owner: 'middleware/body', line: 6 },
      { code: 'D_ERR_X_Y', owner: undefined, line: 11 },
    ])
  })
})
