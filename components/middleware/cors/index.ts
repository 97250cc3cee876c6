export { cors, cors as default } from './component.js'
export { corsOptions, type CorsOptions, type OriginCheck } from './options.js'
export { createCors } from './cors.js'
