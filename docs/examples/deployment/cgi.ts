// One request per process, started by the web server through app.cgi
// (lighttpd-cgi.conf). listen() answers the request in the environment and
// stdin; close() waits until the response is written to stdout.
import { createApp, withComponents } from 'dovetailjs'
import config from './app.js'

const app = await createApp(withComponents(config, { server: 'cgi' }))
await app.listen()
await app.close()
