import type { SlotName } from '../component/slots.js'

/**
 * Built-in components and presets by name, as import specifiers. This is data,
 * not imports: the core never loads a component it was not asked for, so an app
 * pulls in (and needs the peer dependencies of) only what its config names.
 * The specifiers go through the package's own `exports`, the same road a
 * third-party component takes.
 */
export const builtinComponents: { readonly [S in SlotName]: Readonly<Record<string, string>> } = {
  container: {
    awilix: 'dovetail/components/container/awilix',
    inversify: 'dovetail/components/container/inversify',
  },
  router: { radix: 'dovetail/components/router/radix' },
  server: {
    node: 'dovetail/components/server/node',
    cgi: 'dovetail/components/server/cgi',
    fastcgi: 'dovetail/components/server/fastcgi',
    scgi: 'dovetail/components/server/scgi',
  },
  logger: { pino: 'dovetail/components/logger/pino' },
  template: {
    eta: 'dovetail/components/template/eta',
    nunjucks: 'dovetail/components/template/nunjucks',
  },
  orm: { 'mikro-orm': 'dovetail/components/orm/mikro-orm' },
  'session-store': {
    cookie: 'dovetail/components/session-store/cookie',
    memory: 'dovetail/components/session-store/memory',
    redis: 'dovetail/components/session-store/redis',
    sql: 'dovetail/components/session-store/sql',
  },
  middleware: {
    'request-log': 'dovetail/components/middleware/request-log',
    'security-headers': 'dovetail/components/middleware/security-headers',
    session: 'dovetail/components/middleware/session',
    csrf: 'dovetail/components/middleware/csrf',
    auth: 'dovetail/components/middleware/auth',
    'error-pages': 'dovetail/components/middleware/error-pages',
    cors: 'dovetail/components/middleware/cors',
    compression: 'dovetail/components/middleware/compression',
    body: 'dovetail/components/middleware/body',
    static: 'dovetail/components/middleware/static',
    transaction: 'dovetail/components/middleware/transaction',
  },
}

export const builtinPresets: Readonly<Record<string, string>> = {
  minimal: 'dovetail/presets/minimal',
  api: 'dovetail/presets/api',
  fullstack: 'dovetail/presets/fullstack',
}
