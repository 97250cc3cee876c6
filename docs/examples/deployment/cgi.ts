// One request per process, started by the web server through app.cgi
// (lighttpd-cgi.conf). Put it beside app.ts: npm run build compiles it to
// dist/cgi.js. listen() answers the request in the environment and stdin;
// close() waits until the response is written to stdout.
import { createApp, withComponents } from 'dovetailjs'
import config from './app.js'

// stdout carries the response, so the log goes to stderr (the web server's
// error log): pino writes to file descriptor 1 itself, into the response.
const app = await createApp(
  withComponents(config, { server: 'cgi', logger: { use: 'pino', options: { destination: 'stderr' } } }),
)
await app.listen()
await app.close()
