export { redisStore, redisStore as default, redisStoreOptions } from './component.js'
export { RedisSessionStore, type RedisStoreOptions } from './redis-store.js'
