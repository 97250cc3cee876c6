export { compression, compression as default } from './component.js'
export { createCompression } from './compress.js'
export { isCompressible } from './compressible.js'
export { compressionOptions, type Coding, type CompressionOptions, type ResolvedCompressionOptions } from './options.js'
