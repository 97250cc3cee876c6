export { cacheResponse } from './cache-response.js'
export { cacheResponseOptions, type CacheResponseOptions, type CacheResponseSettings } from './options.js'
export { strongEtag } from './etag.js'
