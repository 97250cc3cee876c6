/**
 * One host of the multi-host test (multi-host.test.ts): the wiki's config as
 * `npm start` reads it from the environment (PostgreSQL, sessions and page
 * cache in Redis, the shared session secret), with the node server's
 * trustProxy on, since requests come through nginx
 * (docs/examples/scaling/nginx-hosts.conf). Started with
 * `dovetail start --config test/scaling/wiki-host.config.ts --workers 2`.
 */
import { withComponents } from 'dovetailjs'
import { createWikiConfig } from '../../docs/examples/wiki/app.js'

export default withComponents(createWikiConfig(), { server: { use: 'node', options: { trustProxy: true } } })
