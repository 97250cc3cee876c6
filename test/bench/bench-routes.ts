/**
 * The routes every benchmark server answers, and the exact bodies expected.
 * run.ts checks each server against these before it measures anything, so a
 * server that answers faster because it answers wrongly is caught.
 */
export const PLAINTEXT = 'Hello, World!'
export const JSON_BODY = JSON.stringify({ message: 'Hello, World!' })

export interface BenchRoute {
  /** The label in the table. */
  name: string
  /** The path wrk requests. */
  path: string
  body: string
  /** Only servers that can express it (request-scoped services are a Dovetail feature). */
  dovetailOnly?: boolean
}

export const benchRoutes: readonly BenchRoute[] = [
  { name: '/plaintext', path: '/plaintext', body: PLAINTEXT },
  { name: '/json', path: '/json', body: JSON_BODY },
  { name: '/users/:id/posts/:postId', path: '/users/42/posts/7', body: 'user 42, post 7' },
  { name: '/scoped', path: '/scoped', body: 'scoped: request-id clock-7 greeter', dovetailOnly: true },
]

/** What a server prints on stdout, as one JSON line, once it listens. */
export interface ReadyLine {
  port: number
}

/**
 * Tell run.ts the port; one line of JSON on stdout. SIGTERM then exits
 * normally, so `node --cpu-prof` gets to write its profile.
 */
export function announce(port: number): void {
  process.once('SIGTERM', () => process.exit(0))
  process.stdout.write(`${JSON.stringify({ port } satisfies ReadyLine)}\n`)
}
