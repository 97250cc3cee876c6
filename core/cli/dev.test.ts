import { describe, expect, it } from 'vitest'
import { restartsFor } from './command-dev.js'

// What makes `dovetail dev` restart. The command itself runs, as users get it,
// in test/package/cli-dev.test.ts (from the packed tarball).

describe('dovetail dev', () => {
  it('restarts for code and config, not for templates, static files or what is generated', () => {
    for (const name of ['app.ts', 'routes/notes.ts', 'entities.mts', 'package.json', 'migrations/Migration1_x.ts', 'lib/util.js']) expect(restartsFor(name), name).toBe(true)
    for (const name of ['views/index.eta', 'views/layout.njk', 'public/style.css', 'data/app.db', 'node_modules/x/index.js', 'dist/app.js', '.git/HEAD', 'types.d.ts']) expect(restartsFor(name), name).toBe(false)
  })
})
