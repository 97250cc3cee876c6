export { handlebars, handlebars as default } from './component.js'
export { HandlebarsEngine, type HandlebarsEngineOptions } from './handlebars-engine.js'
export { badName, handlebarsOptions, type HandlebarsOptions } from './options.js'
