import type { OwnPackage } from '../own-package.js'
import { projectComponents, traitsOf, type ProjectChoices } from './choices.js'
import { packagesFor } from './preset-needs.js'

/** The tools a project runs on: the same versions Dovetail is developed with. */
const devTools = ['@types/node', 'tsx', 'typescript', 'vitest']

function versionOf(pkg: OwnPackage, name: string): string {
  const version = pkg.peerDependencies[name] ?? pkg.devDependencies[name]
  if (!version) throw new Error(`Dovetail's package.json gives no version for ${name}; it should list it under peerDependencies or devDependencies.`)
  return version
}

const sorted = (names: readonly string[], pkg: OwnPackage): Record<string, string> =>
  Object.fromEntries([...names].sort().map((name) => [name, versionOf(pkg, name)]))

/**
 * `package.json`: Dovetail at this version, the optional packages the chosen
 * components import, and scripts for the usual chores.
 *
 * @example
 * JSON.parse(packageJson(choices, ownPackage())).dependencies // { dovetailjs: '^0.1.0', eta: '^4.6.0', … }
 */
export function packageJson(choices: ProjectChoices, pkg: OwnPackage): string {
  const { hasOrm } = traitsOf(choices)
  const scripts: Record<string, string> = {
    dev: 'tsx watch server.ts',
    start: 'tsx server.ts',
    test: 'vitest run',
    typecheck: 'tsc --noEmit',
    info: 'dovetail info --config app.ts',
  }
  if (hasOrm) {
    scripts['db:migrate'] = 'dovetail db migrate --config app.ts'
    scripts['db:migration'] = 'dovetail db migration:create --config app.ts --name'
    scripts['db:status'] = 'dovetail db migration:status --config app.ts'
  }
  const manifest = {
    name: choices.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20' },
    scripts,
    dependencies: { dovetailjs: `^${pkg.version}`, ...sorted(packagesFor(projectComponents(choices)), pkg) },
    devDependencies: sorted(devTools, pkg),
  }
  return `${JSON.stringify(manifest, null, 2)}\n`
}

/** `tsconfig.json`: Node's ESM resolution, strict, no output (tsx runs the sources). */
export const tsconfigJson = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'data', 'dist'],
  },
  null,
  2,
)}\n`

export const gitignore = `node_modules/
dist/
data/
*.log
.env
`

/** `server.ts`: build the app from app.ts and listen; finish requests in flight on Ctrl-C. */
export const serverModule = (choices: ProjectChoices): string => `import { createApp } from 'dovetailjs'
import config from './app.js'

const app = await createApp(config)
const server = await app.listen()
console.log(\`${choices.name} on \${server.url} (Ctrl-C to stop)\`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)))
}
`

/** `README.md`: how to run the project, and where things are. */
export function readme(choices: ProjectChoices): string {
  const { hasOrm, fullstack } = traitsOf(choices)
  const steps = ['npm install', ...(hasOrm ? ['npm run db:migrate   # creates ./data/app.db and its tables'] : []), 'npm run dev          # http://localhost:3000, restarts on changes']
  const layout = [
    ['app.ts', `the config: the \`${choices.preset}\` preset, the components this app changes, its routes`],
    ['server.ts', 'builds the app and listens (PORT and HOST override the defaults)'],
    ...(hasOrm ? [['entities.ts', 'the entities (MikroORM `defineEntity`)'], ['migrations/', 'schema changes, run by `npm run db:migrate`']] : []),
    ...(choices.template ? [['views/', `templates (${choices.template})`]] : []),
    ...(fullstack ? [['public/', 'files served under /static']] : []),
    ['test/', 'tests that send requests to the app without a socket (`createTestClient`)'],
  ]
  const commands = [
    ['npm run dev', 'run and restart on changes'],
    ['npm start', 'run'],
    ['npm test', 'run the tests'],
    ['npm run typecheck', 'check the types'],
    ['npm run info', 'show the component in each slot, after the preset and the overrides'],
    ...(hasOrm
      ? [
          ['npm run db:migrate', 'run pending migrations (DATABASE_URL picks the database)'],
          ['npm run db:migration -- <name>', 'write a migration for what changed in the entities'],
          ['npm run db:status', 'list executed and pending migrations'],
        ]
      : []),
  ]
  return `# ${choices.name}

A [Dovetail](https://www.npmjs.com/package/dovetailjs) app, started with
\`dovetail new --preset ${choices.preset}\`.

\`\`\`sh
${steps.join('\n')}
\`\`\`
${fullstack ? '\nSet `SESSION_SECRET` (32 or more random characters) wherever the app runs for real; in\ndevelopment a key made at each start signs the session cookie.\n' : ''}
| command | does |
| --- | --- |
${commands.map(([c, d]) => `| \`${c}\` | ${d} |`).join('\n')}

| path | holds |
| --- | --- |
${layout.map(([p, d]) => `| \`${p}\` | ${d} |`).join('\n')}
`
}
