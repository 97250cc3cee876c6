export { requestLog, requestLog as default } from './component.js'
export { requestLogOptions, type RequestLogOptions } from './options.js'
export { createRequestLog, type RequestLogLine } from './request-log.js'
export { requestIdFor } from './request-id.js'
