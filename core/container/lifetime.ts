/**
 * How long an instance lives.
 * - `singleton`: one per app, disposed at `app.close()`.
 * - `scoped`: one per request, disposed when the request's response is ready.
 * - `transient`: a new one at every resolution, never cached, never disposed.
 */
export const lifetimes = ['singleton', 'scoped', 'transient'] as const
export type Lifetime = (typeof lifetimes)[number]
