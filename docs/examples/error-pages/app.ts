import { createApp, defineConfig } from 'dovetailjs'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { defineRoutes } from './routes.js'

/**
 * A shop whose errors are shown by error-pages: a debug page in development,
 * a plain page with the request id in production, JSON for API clients.
 * request-log comes first so every error response carries the request id.
 */
export const createShopApp = (environment: 'development' | 'production', logLevel: 'info' | 'silent' = 'info') =>
  createApp(
    defineConfig({
      environment,
      components: {
        logger: pinoLogger({ level: logLevel }),
        middleware: ['request-log', 'security-headers', 'error-pages'],
      },
      routes: defineRoutes,
    }),
  )
