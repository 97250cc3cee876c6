import type { OwnPackage } from '../own-package.js'
import { appModule } from './app-module.js'
import { traitsOf, type ProjectChoices } from './choices.js'
import { entitiesModule, migrationModule, migrationName } from './data-files.js'
import { gitignore, packageJson, readme, serverModule, tsconfigJson } from './support-files.js'
import { testModule } from './test-module.js'
import { viewFiles, type ProjectFile } from './view-files.js'

/**
 * Every file of a new project, in the order they are listed to the user.
 *
 * @example
 * projectFiles({ name: 'notes', preset: 'api', container: 'awilix', template: undefined, now: new Date() }, ownPackage())
 * // [{ path: 'package.json', content: '{…' }, { path: 'tsconfig.json', … }, { path: 'app.ts', … }, …]
 */
export function projectFiles(choices: ProjectChoices, pkg: OwnPackage): ProjectFile[] {
  const { hasOrm } = traitsOf(choices)
  const migration = migrationName(choices.now)
  return [
    { path: 'package.json', content: packageJson(choices, pkg) },
    { path: 'tsconfig.json', content: tsconfigJson },
    { path: '.gitignore', content: gitignore },
    { path: 'README.md', content: readme(choices) },
    { path: 'app.ts', content: appModule(choices) },
    { path: 'server.ts', content: serverModule(choices) },
    ...(hasOrm
      ? [
          { path: 'entities.ts', content: entitiesModule },
          { path: `migrations/${migration}.ts`, content: migrationModule(migration) },
        ]
      : []),
    ...viewFiles(choices),
    { path: 'test/app.test.ts', content: testModule(choices) },
  ]
}

export type { ProjectFile }
