export { memoryStore, memoryStore as default, memoryStoreOptions } from './component.js'
export { MemorySessionStore, type MemoryStoreOptions } from './memory-store.js'
