export { nunjucks, nunjucks as default } from './component.js'
export { NunjucksEngine, type NunjucksEngineOptions } from './nunjucks-engine.js'
export { nunjucksOptions, type NunjucksOptions } from './options.js'
