export { InversifyAdapter } from './inversify-container.js'
export { inversify, inversify as default } from './component.js'
