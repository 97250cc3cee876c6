import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { ObjectDispatchRouter } from 'dovetailjs/components/router/object-dispatch'
import { wikiRoot } from '../controller-tree.js'

// docs/router.md prints `dovetail routes` for this tree; the lines of controller-tree.ts are in it, so it goes stale when the tree is edited.
it("docs/router.md shows the wiki tree's routes as the object-dispatch router lists them, with their lines", () => {
  const page = readFileSync(fileURLToPath(new URL('../../../router.md', import.meta.url)), 'utf8')
  const block = /For the wiki's tree[\s\S]*?```\n([\s\S]*?)```/.exec(page)![1]!
  const shown = block.trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/))
  const listed = new ObjectDispatchRouter({ root: wikiRoot }).routes().map((r) => {
    if (r.kind !== 'route') throw new Error('the wiki tree has no mounts')
    const [file, line] = r.source!.split(':').slice(-2)
    return [r.methods.join(' '), r.path, r.name ?? '-', r.handler.name, `${basename(file!)}:${line}`]
  })
  expect(shown).toEqual(listed)
})
