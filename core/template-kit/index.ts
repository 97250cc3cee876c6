// dovetailjs/template-kit: what views-based template engines share, public so
// a third-party engine validates, finds and reports templates exactly as the
// built-in ones do. It imports no template engine.
export { extensionOption, functionValue, namesRecord, viewsEngineShape, viewsOption } from './engine-options.js'
export { causeChain, templateNotFound } from './template-errors.js'
export { findView, MissingTemplate, templateFile } from './views-lookup.js'
