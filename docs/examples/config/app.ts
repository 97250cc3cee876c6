import { createApp, defineConfig, token } from 'dovetailjs'

export const Greeting = token<string>('Greeting')

export const config = defineConfig({
  preset: 'minimal',
  register(c) {
    c.value(Greeting, 'Hello from development')
  },
  routes(r) {
    r.get('/', (ctx) => ctx.json({ greeting: ctx.resolve(Greeting), environment: ctx.environment }))
  },
  env: {
    production: {
      components: { container: 'inversify' },
      server: { host: '0.0.0.0' },
      routes(r) {
        r.get('/health', (ctx) => ctx.text('ok'))
      },
    },
  },
})

/** Build the app for one environment. */
export const createConfiguredApp = (environment: string) => createApp({ ...config, environment })
