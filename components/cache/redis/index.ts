export { redisCache, redisCache as default, redisCacheOptions, type RedisCacheComponentOptions } from './component.js'
export { RedisCache, type RedisCacheOptions } from './redis-cache.js'
