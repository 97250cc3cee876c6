export { sqlStore, sqlStore as default, sqlStoreOptions } from './component.js'
export { SqlSessionStore, type SqlStoreOptions } from './sql-store.js'
