export { pinoLogger, pinoLogger as default, pinoOptions } from './component.js'
export { createPinoLogger, type PinoDestination, type PinoHandle, type PinoOptions } from './create-pino-logger.js'
