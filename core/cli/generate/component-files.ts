import { slotContracts } from '../../component/slots.js'
import type { GeneratedFiles } from './resource-files.js'

/** What a component package's files are made from. */
export interface ComponentPackage {
  /** The npm name: `dovetail-request-stamp`, `@acme/dovetail-stamp`. */
  packageName: string
  /** The name an app's config uses (`components.middleware: ['stamp']`): the package name without scope and `dovetail-`. */
  shortName: string
  /** `requestStamp`: the factory. */
  camel: string
  /** This dovetailjs's version, for the peer range. */
  dovetailVersion: string
  /** Versions of the development tools, as this dovetailjs is developed with. */
  devVersions: Record<'@types/node' | 'typescript' | 'vitest' | 'zod', string>
}

/**
 * The files of a middleware component package, in the shape a third-party
 * package needs: package.json with the `dovetail` declaration (slot, name,
 * entry, contract range), the component with an options schema, its error
 * codes, the slot's conformance kit and a test of its own, tsconfigs and a
 * README. The middleware sets one response header, as the place to start.
 *
 * @example
 * componentFiles({ packageName: 'dovetail-stamp', shortName: 'stamp', camel: 'stamp', dovetailVersion: '0.1.0', devVersions })
 */
export function componentFiles(p: ComponentPackage): GeneratedFiles {
  const [major, minor] = slotContracts.middleware.split('.')
  const contract = `^${major}.${minor}`
  const header = `x-${p.shortName}`
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`
  return [
    {
      path: 'package.json',
      text: json({
        name: p.packageName,
        version: '0.1.0',
        description: `${p.shortName}: middleware for Dovetail.`,
        license: 'MIT',
        type: 'module',
        engines: { node: '>=20' },
        exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './package.json': './package.json' },
        files: ['dist', 'README.md'],
        scripts: { build: 'tsc -p tsconfig.build.json', typecheck: 'tsc -p tsconfig.json', test: 'vitest run', prepack: 'npm run build' },
        dependencies: { zod: p.devVersions.zod },
        peerDependencies: { dovetailjs: `^${p.dovetailVersion}` },
        devDependencies: { '@types/node': p.devVersions['@types/node'], dovetailjs: `^${p.dovetailVersion}`, typescript: p.devVersions.typescript, vitest: p.devVersions.vitest },
        dovetail: {
          components: [{ slot: 'middleware', name: p.shortName, entry: '.', contract, description: `${p.shortName}: sets the ${header} response header` }],
        },
      }),
    },
    {
      path: 'src/component.ts',
      text: `import { defineComponent, editHeaders } from 'dovetailjs'
import { z } from 'zod'

/** The options an app gives, validated when the app starts. */
export const ${p.camel}Options = z.strictObject({
  /** The response header this middleware sets. @default '${header}' */
  header: z.string().regex(/^[a-z0-9-]+$/).default('${header}'),
  /** Its value. @default 'on' */
  value: z.string().default('on'),
})

export type ${capitalize(p.camel)}Options = z.input<typeof ${p.camel}Options>

/**
 * Middleware that sets a header on every response: where to start. The
 * package.json declares it (slot middleware, name ${p.shortName}, contract ${contract}), so an app
 * that depends on this package names it in its config.
 *
 * @example
 * defineConfig({ components: { middleware: { append: [{ use: '${p.shortName}', options: { value: 'yes' } }] } } })
 */
export const ${p.camel} = defineComponent({
  name: '${p.packageName}',
  slot: 'middleware',
  contract: '${contract}',
  options: ${p.camel}Options,
  middleware: (_app, options) =>
    async function ${p.camel}(ctx, next) {
      const response = await next()
      // editHeaders: some responses (redirects, what a mounted app answers) have headers that cannot be set in place.
      return editHeaders(response, (headers) => headers.set(options.header, options.value))
    },
})
`,
    },
    {
      path: 'src/errors.ts',
      text: `import type { ErrorCodeInfo } from 'dovetailjs'

// Each error this package throws gets a code, made where it is thrown with
// createError('${constantCase(p.shortName)}_ERR_<WHAT>', '<when and what to do>'), listed here and
// documented in the README. None yet.

/** Every error code this package owns. */
export const errorCodes: readonly ErrorCodeInfo[] = []
`,
    },
    {
      path: 'src/index.ts',
      text: `import { ${p.camel} } from './component.js'

export { ${p.camel}, ${p.camel}Options, type ${capitalize(p.camel)}Options } from './component.js'
export { errorCodes } from './errors.js'
// The entry's default export is the component: what an app's config finds by the name '${p.shortName}'.
export default ${p.camel}
`,
    },
    {
      path: 'test/conformance.test.ts',
      text: `import { runMiddlewareConformance } from 'dovetailjs/testing/conformance'
import { ${p.camel} } from '../src/index.js'

// The middleware slot's contract as a test suite: what every middleware, the built-ins included, must do.
runMiddlewareConformance({ name: '${p.packageName}', create: () => ${p.camel}() })
`,
    },
    {
      path: `test/${p.shortName}.test.ts`,
      text: `import { afterAll, beforeAll, expect, it } from 'vitest'
import { type App, createApp } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { ${p.camel} } from '../src/index.js'

let app: App

beforeAll(async () => {
  app = await createApp({
    components: { middleware: [${p.camel}({ value: 'yes' })] },
    routes(r) {
      r.get('/', (ctx) => ctx.text('home'))
      // A redirect made by Response.redirect has headers that cannot be set in place.
      r.get('/away', () => Response.redirect('http://localhost/', 302))
    },
  })
})

afterAll(() => app.close())

it('sets its header on the responses handlers give, redirects included', async () => {
  const client = createTestClient(app)
  const home = await client.get('/')
  expect([home.status, home.headers.get('${header}')]).toEqual([200, 'yes'])
  const away = await client.get('/away')
  expect([away.status, away.headers.get('${header}')]).toEqual([302, 'yes'])
})

it('refuses a bad option when the app starts', async () => {
  await expect(createApp({ components: { middleware: [${p.camel}({ header: 'Not A Header' })] } })).rejects.toMatchObject({ code: 'DOVETAIL_ERR_COMPONENT_OPTIONS' })
})
`,
    },
    {
      path: 'tsconfig.json',
      text: json({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          types: ['node'],
          strict: true,
          noUncheckedIndexedAccess: true,
          noImplicitOverride: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['src', 'test'],
      }),
    },
    { path: 'tsconfig.build.json', text: json({ extends: './tsconfig.json', compilerOptions: { noEmit: false, declaration: true, rootDir: 'src', outDir: 'dist' }, include: ['src'] }) },
    { path: '.gitignore', text: 'node_modules/\ndist/\n' },
    {
      path: 'README.md',
      text: `# ${p.packageName}

Middleware for [Dovetail](https://www.npmjs.com/package/dovetailjs): sets the \`${header}\` response header.

| | |
| --- | --- |
| name | \`${p.shortName}\` (in a config: \`components.middleware: { append: ['${p.shortName}'] }\`) |
| slot | \`middleware\`, contract \`${contract}\` |
| provides | a header on every response |
| needs | nothing |
| import | \`import { ${p.camel} } from '${p.packageName}'\` |

## Options

| option | type | default | meaning |
| --- | --- | --- | --- |
| \`header\` | string (lower-case) | \`'${header}'\` | the header set |
| \`value\` | string | \`'on'\` | its value |

Bad options fail when the app starts, with \`DOVETAIL_ERR_COMPONENT_OPTIONS\`.

## Error codes

None yet (see \`src/errors.ts\`).

## Developing

\`npm test\` runs the middleware slot's conformance kit and this package's tests; \`npm run typecheck\`;
\`npm run build\` writes \`dist/\`, which the package.json declaration's entry (\`.\`) points to.
`,
    },
  ]
}

const capitalize = (text: string) => text[0]!.toUpperCase() + text.slice(1)
const constantCase = (text: string) => text.replace(/-/g, '_').toUpperCase()
