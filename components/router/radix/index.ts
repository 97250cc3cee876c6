export { radix, radix as default, radixOptions } from './component.js'
export { RadixRouter, type RadixRouterOptions } from './radix-router.js'
export { urlFor } from './url-for.js'
export { errorCodes, RadixUnsafeRegex } from './errors.js'
