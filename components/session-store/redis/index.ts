export { redisStore, redisStore as default, redisStoreOptions } from './component.js'
export { RedisSessionStore, type RedisStoreOptions } from './redis-store.js'
export {
  callRedis,
  closeRedis,
  connectRedis,
  createRedisClient,
  redisConnectionOptions,
  type RedisConnectionLabels,
  type RedisConnectionSettings,
} from './redis-client.js'
