export { memoryCache, memoryCache as default, memoryCacheOptions, type MemoryCacheComponentOptions } from './component.js'
export { MemoryCache, type MemoryCacheOptions } from './memory-cache.js'
