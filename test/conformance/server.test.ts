import { createApp, Server } from 'dovetailjs'
import node from 'dovetailjs/components/server/node'
import { runServerConformance } from 'dovetailjs/testing/conformance'

// server/node as an app gets it: the component, its options validated, the Server resolved from the container.
runServerConformance({
  name: 'server/node',
  start: async (handler) => {
    const app = await createApp({ environment: 'test', components: { server: node() } })
    const listening = await app.resolve(Server).listen(handler, { port: 0, host: '127.0.0.1' })
    return {
      url: listening.url,
      close: async () => {
        await listening.close()
        await app.close()
      },
    }
  },
})
