export { eta, eta as default } from './component.js'
export { EtaEngine, type EtaEngineOptions } from './eta-engine.js'
export { etaOptions, type EtaOptions } from './options.js'
