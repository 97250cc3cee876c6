export { scgi, scgi as default, scgiServerOptions } from './component.js'
export { errorCodes } from './errors.js'
export { ScgiServer, type ScgiServerOptions } from './scgi-server.js'
