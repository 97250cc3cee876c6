import { median } from './stats.js'

/** One wrk run of one route on one server in one round. */
export interface Sample {
  round: number
  server: string
  route: string
  requests: number
  seconds: number
  requestsPerSecond: number
  /** Server CPU time (user + system) per completed request, in microseconds. */
  cpuMicrosPerRequest: number
  /** The user-space part: the server's own code, without the kernel's socket work. */
  userMicrosPerRequest: number
  /** Share of all cores busy with other processes (wrk included) during the run. */
  othersBusy: number
}

export interface Row {
  route: string
  server: string
  requestsPerSecond: number
  /** Median over rounds of (this server's req/s ÷ raw node's req/s in the same round). */
  ratio: number
  /** Raw node's CPU µs/req ÷ this server's: the same ratio read from CPU time, steadier. */
  cpuRatio: number
  cpuMicrosPerRequest: number
  userMicrosPerRequest: number
  rounds: number
}

export const BASELINE = 'raw node:http'
/** Raw node has no request scope; the scoped route is held against its plaintext route. */
export const baselineRouteFor = (route: string): string => (route === '/scoped' ? '/plaintext' : route)

/** Medians per server and route, and ratios to raw node computed round by round. */
export function summarize(
  samples: readonly Sample[],
  routeOrder: readonly string[],
  serverOrder: readonly string[],
  baseline: string = BASELINE,
): Row[] {
  const rows: Row[] = []
  // A run in which no request completed (the server stalled for the whole run) has no CPU per
  // request to speak of; it is left out here and shows as fewer rounds in the table.
  const find = (server: string, route: string, round?: number) =>
    samples.filter((s) => s.requests > 0 && s.server === server && s.route === route && (round === undefined || s.round === round))
  for (const route of routeOrder) {
    for (const server of serverOrder) {
      const mine = find(server, route)
      if (mine.length === 0) continue
      const ratios: number[] = []
      for (const sample of mine) {
        const base = find(baseline, baselineRouteFor(route), sample.round)[0]
        if (base) ratios.push(sample.requestsPerSecond / base.requestsPerSecond)
      }
      const cpu = median(mine.map((s) => s.cpuMicrosPerRequest))
      const baseCpu = median(find(baseline, baselineRouteFor(route)).map((s) => s.cpuMicrosPerRequest))
      rows.push({
        route,
        server,
        requestsPerSecond: median(mine.map((s) => s.requestsPerSecond)),
        ratio: median(ratios),
        cpuRatio: baseCpu / cpu,
        cpuMicrosPerRequest: cpu,
        userMicrosPerRequest: median(mine.map((s) => s.userMicrosPerRequest)),
        rounds: mine.length,
      })
    }
  }
  return rows
}

/** A plain-text table with aligned columns. */
export function formatTable(header: readonly string[], body: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (rightAligned.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`
  return [line(header), rule, ...body.map(line)].join('\n')
}

/** The table; ratios are to `baseline` (a server name), by req/s (per round) and by CPU time per request. */
export function formatRows(rows: readonly Row[], baseline: string = BASELINE): string {
  const body = rows.map((r) => [
    r.route,
    r.server,
    Math.round(r.requestsPerSecond).toLocaleString('en-US'),
    r.server === baseline ? '1.00' : Number.isNaN(r.ratio) ? 'n/a' : `${r.ratio.toFixed(2)}${r.route === '/scoped' ? '*' : ''}`,
    r.server === baseline ? '1.00' : r.cpuRatio.toFixed(2),
    r.cpuMicrosPerRequest.toFixed(1),
    r.userMicrosPerRequest.toFixed(1),
  ])
  const against = baseline === BASELINE ? 'raw node' : baseline
  return formatTable(
    ['route', 'server', 'req/s (median)', `ratio to ${against}`, 'by CPU µs', 'CPU µs/req', 'of which user'],
    body,
    new Set([2, 3, 4, 5, 6]),
  )
}

export interface Target {
  label: string
  route: string
  server: string
  atLeast: number
}

export const targets: readonly Target[] = [
  { label: 'plaintext, awilix', route: '/plaintext', server: 'dovetail (awilix)', atLeast: 0.85 },
  { label: 'three scoped services, awilix', route: '/scoped', server: 'dovetail (awilix)', atLeast: 0.8 },
  { label: 'three scoped services, inversify', route: '/scoped', server: 'dovetail (inversify)', atLeast: 0.8 },
]

export interface TargetResult extends Target {
  ratio: number
  cpuRatio: number
  met: boolean
}

export function checkTargets(rows: readonly Row[]): TargetResult[] {
  const results: TargetResult[] = []
  for (const t of targets) {
    const row = rows.find((r) => r.route === t.route && r.server === t.server)
    if (!row || Number.isNaN(row.ratio)) continue
    results.push({ ...t, ratio: row.ratio, cpuRatio: row.cpuRatio, met: row.ratio >= t.atLeast })
  }
  return results
}

export function formatTargets(results: readonly TargetResult[]): string {
  return results
    .map(
      (r) =>
        `${r.met ? 'MET ' : 'MISS'}  ${r.label}: ${r.ratio.toFixed(2)} of raw node by req/s ` +
        `(${r.cpuRatio.toFixed(2)} by CPU time per request), target >= ${r.atLeast}`,
    )
    .join('\n')
}
