/** A peer for context: Hono on @hono/node-server. */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { announce, PLAINTEXT } from '../bench-routes.js'

const app = new Hono()
app.get('/plaintext', (c) => c.text(PLAINTEXT))
app.get('/json', (c) => c.json({ message: 'Hello, World!' }))
app.get('/users/:id/posts/:postId', (c) => c.text(`user ${c.req.param('id')}, post ${c.req.param('postId')}`))

serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => announce(info.port))
