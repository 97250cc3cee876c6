export { AwilixAdapter } from './awilix-container.js'
export { awilix, awilix as default } from './component.js'
