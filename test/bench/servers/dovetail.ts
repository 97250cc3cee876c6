/**
 * Dovetail on its own node server, preset minimal. The container is the first
 * argument: `awilix` (the default) or `inversify`.
 */
import { createApp, defineConfig } from 'dovetailjs'
import { announce, PLAINTEXT } from '../bench-routes.js'

const container = process.argv[2] ?? 'awilix'
if (container !== 'awilix' && container !== 'inversify') {
  throw new Error(`servers/dovetail.ts: unknown container '${container}'; use awilix or inversify.`)
}

// Three request-scoped services, the shape of a typical request: an id, a clock, a service.
class RequestId {
  readonly value = 'request-id'
}
class RequestClock {
  readonly tick = 7
}
class Greeter {
  readonly name = 'greeter'
}

const app = await createApp(
  defineConfig({
    preset: 'minimal',
    environment: 'production',
    components: { container },
    register(c) {
      c.scoped(RequestId, () => new RequestId())
      c.scoped(RequestClock, () => new RequestClock())
      c.scoped(Greeter, () => new Greeter())
    },
    routes(r) {
      r.get('/plaintext', (ctx) => ctx.text(PLAINTEXT))
      r.get('/json', (ctx) => ctx.json({ message: 'Hello, World!' }))
      r.get('/users/:id/posts/:postId', (ctx) => ctx.text(`user ${ctx.params.id}, post ${ctx.params.postId}`))
      r.get('/scoped', (ctx) => {
        const id = ctx.resolve(RequestId)
        const clock = ctx.resolve(RequestClock)
        const greeter = ctx.resolve(Greeter)
        return ctx.text(`scoped: ${id.value} clock-${clock.tick} ${greeter.name}`)
      })
    },
  }),
)

const server = await app.listen({ port: 0, host: '127.0.0.1' })
announce(server.port)
