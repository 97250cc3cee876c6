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
    awilix: 'dovetailjs/components/container/awilix',
    inversify: 'dovetailjs/components/container/inversify',
  },
  router: { radix: 'dovetailjs/components/router/radix' },
  server: {
    node: 'dovetailjs/components/server/node',
    cgi: 'dovetailjs/components/server/cgi',
    fastcgi: 'dovetailjs/components/server/fastcgi',
    scgi: 'dovetailjs/components/server/scgi',
  },
  logger: { pino: 'dovetailjs/components/logger/pino' },
  template: {
    eta: 'dovetailjs/components/template/eta',
    nunjucks: 'dovetailjs/components/template/nunjucks',
  },
  orm: { 'mikro-orm': 'dovetailjs/components/orm/mikro-orm' },
  'session-store': {
    cookie: 'dovetailjs/components/session-store/cookie',
    memory: 'dovetailjs/components/session-store/memory',
    redis: 'dovetailjs/components/session-store/redis',
    sql: 'dovetailjs/components/session-store/sql',
  },
  middleware: {
    'request-log': 'dovetailjs/components/middleware/request-log',
    'security-headers': 'dovetailjs/components/middleware/security-headers',
    session: 'dovetailjs/components/middleware/session',
    csrf: 'dovetailjs/components/middleware/csrf',
    auth: 'dovetailjs/components/middleware/auth',
    'error-pages': 'dovetailjs/components/middleware/error-pages',
    cors: 'dovetailjs/components/middleware/cors',
    compression: 'dovetailjs/components/middleware/compression',
    body: 'dovetailjs/components/middleware/body',
    static: 'dovetailjs/components/middleware/static',
    transaction: 'dovetailjs/components/middleware/transaction',
  },
}

export const builtinPresets: Readonly<Record<string, string>> = {
  minimal: 'dovetailjs/presets/minimal',
  api: 'dovetailjs/presets/api',
  fullstack: 'dovetailjs/presets/fullstack',
}
