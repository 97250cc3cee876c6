import { definePreset } from '../../core/index.js'
import { serveStatic } from '../../components/middleware/static/index.js'
import { eta } from '../../components/template/eta/index.js'

/**
 * A server-rendered web app with a database, by convention: templates in
 * `./views` (eta), files in `./public` served under `/static`, MikroORM on a
 * SQLite file under `./data/` (or `DATABASE_URL`), pino logs, sessions with
 * CSRF protection. The middleware, outermost first:
 *
 * 1. `request-log`: one line per request, the final status included, and a request id;
 * 2. `security-headers`: outside the error pages, so error responses get them too;
 * 3. `error-pages`: errors thrown further in become pages (JSON for JSON clients) here;
 * 4. `compression`: pages and static files alike;
 * 5. `static`: files are answered before any session is read or written;
 * 6. `session`: a signed cookie naming a session in the session store;
 * 7. `csrf`: needs the session; refuses a form without its token before the body is parsed;
 * 8. `auth`: `currentUser(ctx)`, `attemptLogin`, guards, on top of the session;
 * 9. `body`: forms and JSON, with limits, read when the handler asks;
 * 10. `transaction`: innermost, so a POST commits only if its handler answered below 400.
 *
 * The app adds what is no data to keep in a preset: the session secret, and
 * for `auth` a `UserLoader` (how the id in the session becomes a user):
 *
 * @example
 * import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
 * defineConfig({
 *   preset: 'fullstack',
 *   components: {
 *     orm: mikroOrm({ entities }),
 *     middleware: { replace: { session: sessionMiddleware({ secrets: [process.env.SESSION_SECRET!] }) } },
 *   },
 *   register(c) {
 *     c.scoped(UserLoader, { useFactory: (em) => (id) => em.findOne(User, { id: Number(id) }), deps: [Em] })
 *   },
 * })
 */
export const fullstack = definePreset({
  name: 'fullstack',
  components: {
    container: 'awilix',
    router: 'radix',
    server: 'node',
    logger: 'pino',
    template: eta({ views: './views' }),
    orm: 'mikro-orm',
    'session-store': 'sql',
    middleware: [
      'request-log',
      'security-headers',
      'error-pages',
      'compression',
      serveStatic({ root: './public', prefix: '/static' }),
      'session',
      'csrf',
      'auth',
      'body',
      'transaction',
    ],
  },
})

export default fullstack
