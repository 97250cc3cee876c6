/** A peer for context: Fastify 5, logger off (its default). */
import Fastify from 'fastify'
import { announce, PLAINTEXT } from '../bench-routes.js'

const app = Fastify({ logger: false })
app.get('/plaintext', async (_req, reply) => reply.type('text/plain; charset=utf-8').send(PLAINTEXT))
app.get('/json', async () => ({ message: 'Hello, World!' }))
app.get<{ Params: { id: string; postId: string } }>('/users/:id/posts/:postId', async (req, reply) =>
  reply.type('text/plain; charset=utf-8').send(`user ${req.params.id}, post ${req.params.postId}`),
)

await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
announce(typeof address === 'object' && address ? address.port : 0)
