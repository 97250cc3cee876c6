import { createApp, defineConfig } from 'dovetailjs'
import { securityHeaders } from 'dovetailjs/components/middleware/security-headers'

/** A site whose pages load images from a CDN and may be framed by one partner. */
export const createSecureSite = () =>
  createApp(
    defineConfig({
      components: {
        middleware: [
          securityHeaders({
            contentSecurityPolicy: {
              directives: {
                'img-src': ["'self'", 'data:', 'https://cdn.example.com'],
                'upgrade-insecure-requests': true,
              },
            },
          }),
        ],
      },
      routes(r) {
        r.get('/', (ctx) => ctx.html('<!doctype html><title>Home</title><img src="https://cdn.example.com/logo.png" alt="logo">'))
        // This one route sets its own framing policy; the middleware leaves it alone.
        r.get('/widget', (ctx) =>
          ctx.html('<!doctype html><title>Widget</title>', {
            headers: { 'content-security-policy': "default-src 'self'; frame-ancestors https://partner.example.com", 'x-frame-options': 'SAMEORIGIN' },
          }),
        )
      },
    }),
  )
