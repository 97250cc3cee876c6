import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'
import { isCi } from './test/support/ci.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    // The package's own name resolves to its sources, as tsconfig paths do for tsc and tsx.
    alias: [
      { find: /^dovetailjs$/, replacement: here('./core/index.ts') },
      { find: /^dovetailjs\/testing$/, replacement: here('./core/testing/index.ts') },
      { find: /^dovetailjs\/testing\/conformance$/, replacement: here('./core/testing/conformance/index.ts') },
      { find: /^dovetailjs\/server-kit$/, replacement: here('./core/server-kit/index.ts') },
      { find: /^dovetailjs\/template-kit$/, replacement: here('./core/template-kit/index.ts') },
      { find: /^dovetailjs\/orm-kit$/, replacement: here('./core/orm-kit/index.ts') },
      { find: /^dovetailjs\/components\/(.+)$/, replacement: here('./components/$1/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'components/**/*.test.ts', 'core/**/*.test.ts', 'presets/**/*.test.ts', 'docs/**/*.test.ts'],
    // A scaffold's tests are the generated project's, run by test/package/scaffolds.test.ts after an install.
    // The example component package's tests run against its built tarball, by test/package/third-party.test.ts.
    exclude: [...configDefaults.exclude, 'presets/*/scaffold/**', 'docs/examples/component-package/**'],
    testTimeout: 20_000,
    // CI reads its closing counts from the JSON report. CI=1 and CI=true both mean CI (test/support/ci.ts).
    reporters: isCi() ? ['default', ['json', { outputFile: '.ci/out/vitest.json' }]] : ['default'],
    hookTimeout: 60_000,
  },
})
