import { defineConfig } from 'dovetailjs'

/**
 * The app: the minimal preset, that is a container, a router and a server,
 * and what is this app's own. `npm run info` lists the component in each slot.
 */
export default defineConfig({
  preset: '{{preset}}',
  components: {
    container: '{{container}}', // dovetail new --container
  },
  routes(r) {
    r.get('/', (ctx) =>
      ctx.html(`<!doctype html><title>{{name}}</title><h1>{{name}} is running</h1><p>Try <a href="${ctx.url('hello', { name: 'world' })}">/hello/world</a>.</p>`),
    )
    r.get('/hello/:name', (ctx) => ctx.json({ message: `Hello, ${ctx.params.name}!` }), { name: 'hello' })
  },
})
