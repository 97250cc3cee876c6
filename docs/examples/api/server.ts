// `npx tsx docs/examples/api/server.ts`, then: curl -s localhost:3000/todos -H 'content-type: application/json' -d '{"title":"tea"}'
import { createTodoApi } from './app.js'

const app = await createTodoApi()
const server = await app.listen()
console.log(`to-do API on ${server.url}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)))
