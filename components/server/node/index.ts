export { node, node as default, nodeServerOptions } from './component.js'
export { NodeServer, toRequestListener, type NodeServerOptions } from './node-server.js'
