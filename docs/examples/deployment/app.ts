// Stands in for your project's app.ts (the one `dovetail new` writes, whose default export is the
// app's config) so that the entries beside it typecheck in this repository. The entries are run
// with a real one: test/package/deployment.test.ts copies them into a project made by
// `dovetail new --preset fullstack` and runs them there.
import { defineConfig } from 'dovetailjs'

export default defineConfig({})
