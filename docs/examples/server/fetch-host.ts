import { createApp, withComponents } from 'dovetailjs'
import { config } from './app.js'

/**
 * The app for a host that brings its own server (Bun, Deno, Workers):
 * `server: false` leaves the slot empty, so node:http is never loaded.
 * Created once, on first use, and shared by every request.
 */
let ready: ReturnType<typeof createApp> | undefined
export const fetch = async (request: Request): Promise<Response> => {
  ready ??= createApp(withComponents(config, { server: false }))
  return (await ready).fetch(request)
}

export default { fetch }
