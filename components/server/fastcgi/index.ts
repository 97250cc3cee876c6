export { fastcgi, fastcgi as default, fastcgiServerOptions } from './component.js'
export { FastCgiServer, type FastCgiServerOptions } from './fastcgi-server.js'
