import { createApp, defineConfig, token } from 'dovetailjs'

/** A service with one instance per request. */
export class Greeter {
  greet(name: string): string {
    return `Hello, ${name}!`
  }
}

/** A value shared by the whole app. */
export const SiteName = token<string>('SiteName')

export const config = defineConfig({
  preset: 'minimal',
  register(c) {
    c.scoped(Greeter)
    c.value(SiteName, 'Dovetail')
  },
  routes(r) {
    r.get('/', (ctx) =>
      ctx.html(`<!doctype html><title>${ctx.resolve(SiteName)}</title><h1>${ctx.resolve(SiteName)} is running</h1>
<p>Try <a href="${ctx.url('hello', { name: 'world' })}">${ctx.url('hello', { name: 'world' })}</a>.</p>`),
    )
    r.get('/hello/:name', (ctx) => ctx.text(ctx.resolve(Greeter).greet(ctx.params.name!)), { name: 'hello' })
    r.get('/api/hello/:name', (ctx) => ctx.json({ message: ctx.resolve(Greeter).greet(ctx.params.name!) }))
  },
})

export const createHelloApp = () => createApp(config)
