/**
 * Conformance suites, one per slot, written with vitest. Import from
 * `dovetailjs/testing/conformance` in a component's tests; vitest must be installed.
 */
export { runCacheConformance, type CacheConformanceOptions, type CacheOutage, type CacheOutageTarget } from './cache.js'
export { runContainerConformance, type ContainerConformanceOptions } from './container.js'
export { runLoggerConformance, type ConformanceLogLevel, type LoggerConformanceOptions, type LoggerSetup, type LogRecord } from './logger.js'
export { runMiddlewareConformance, type MiddlewareConformanceOptions, type MiddlewareSetup } from './middleware.js'
export { runOrmConformance, type OrmConformanceOptions, type OrmFixture } from './orm.js'
export { runRouterConformance, type RouterConformanceOptions } from './router.js'
export {
  runServerConformance,
  serverCases,
  type ServerCase,
  type ServerConformanceContext,
  type ServerConformanceOptions,
  type ServerConformanceStart,
} from './server.js'
export {
  runSessionStoreConformance,
  type SessionStoreConformanceOptions,
  type SessionStoreOutage,
  type SessionStoreOutageTarget,
} from './session-store.js'
export { runTemplateConformance, type TemplateConformanceOptions, type TemplateFixtureOptions } from './template.js'
