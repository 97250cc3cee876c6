import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FetchHandler } from '../../gateway/fetch-handler.js'
import { KitChannel } from '../kit-channel.js'
import { createKitApp } from '../server-conformance-app.js'
import { type StartedServer, validateServer } from '../validate-server.js'

/** What the server kit gives `start` besides the handler. */
export interface ServerConformanceContext {
  /**
   * A folder the kit's app and the test share. An adapter that runs the app
   * in another process (a CGI program) builds it there with
   * `createServerConformanceApp({ folder })` from `dovetailjs/testing`,
   * instead of using the handler.
   */
  folder: string
}

/** Put `handler` behind the adapter under test (and the web server in front of it, if any). */
export type ServerConformanceStart = (handler: FetchHandler, context: ServerConformanceContext) => Promise<StartedServer>

/** One started adapter in front of the kit's app, as the cases use it. */
export interface KitTarget {
  /** The base URL the kit sends its requests to. */
  url: string
  channel: KitChannel
  /** The adapter's graceful close (what start returned), watched by validateServer. */
  close(): Promise<void>
  /** The breaches found so far on either side, as messages. */
  breaches(): string[]
  /** Close what is still open, and remove the folder. */
  dispose(): Promise<void>
}

/** Start the kit's app behind the adapter, both watched by the validators. */
export async function startTarget(start: ServerConformanceStart): Promise<KitTarget> {
  const folder = mkdtempSync(join(tmpdir(), 'dovetail-server-kit-'))
  const channel = await KitChannel.open(folder)
  const app = await createKitApp(channel)
  const validated = validateServer(start)
  let started: StartedServer
  try {
    started = await validated(app.fetch, { folder })
  } catch (error) {
    await app.close()
    rmSync(folder, { recursive: true, force: true })
    throw error
  }
  let closing: Promise<void> | undefined
  const close = () => (closing ??= started.close())
  const breaches = () => [...channel.list('breach-'), ...validated.breaches.map((b) => b.message)]
  // Kept when the folder goes, for the check after the last close.
  let final: string[] | undefined
  return {
    url: started.url.replace(/\/$/, ''),
    channel,
    close,
    breaches: () => final ?? breaches(),
    async dispose() {
      try {
        await close()
      } finally {
        await app.close()
        final = breaches()
        rmSync(folder, { recursive: true, force: true })
      }
    },
  }
}

/** `promise`, or a failure saying what did not happen, instead of a hang until the test's timeout. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

/** A fresh id for one request's events. */
export const requestId = (): string => crypto.randomUUID()
