import { OrmPackageMissing } from '../../../core/orm-kit/index.js'

/**
 * Import a driver package only when its database is chosen, so an app on
 * SQLite needs neither pg nor mysql2 installed (all are optional peer
 * dependencies of dovetailjs).
 */
export async function loadPackage<T>(pkg: 'libsql' | 'pg' | 'mysql2' | 'kysely', what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (error) {
    const code = (error as { code?: string })?.code
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error
    throw OrmPackageMissing(`Component 'orm/kysely' needs ${pkg} for ${what}, and it is not installed. Run: npm install ${pkg}`, { cause: error })
  }
}
