/**
 * What the Fastify peers of the preset groups share: a Fastify app logging
 * one pino line per request with the fields of Dovetail's request-log and a
 * UUID request id sent back as x-request-id, and @fastify/helmet's settings
 * for the headers Dovetail's security-headers sends by default (the page's
 * Content-Security-Policy is each preset's own).
 */
import { randomUUID } from 'node:crypto'
import type { FastifyHelmetOptions } from '@fastify/helmet'
import Fastify, { type FastifyInstance, LogController } from 'fastify'

/** A Fastify app with the request logging both preset peers use. */
export function loggedFastify(): FastifyInstance {
  const app = Fastify({
    logger: { level: 'info', base: null },
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: () => randomUUID(),
  })
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      { method: req.method, path: req.url.split('?')[0], status: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 100) / 100 },
      `${req.method} ${req.url.split('?')[0]} ${reply.statusCode}`,
    )
  })
  return app
}

/** @fastify/helmet set to security-headers' defaults, with `csp` as the Content-Security-Policy directives. */
export function helmetAsDovetail(csp: Record<string, string[]>): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: csp },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }
}
