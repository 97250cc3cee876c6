/**
 * Where a server's CPU time went: a `.cpuprofile` (from `node --cpu-prof`, or
 * `npm run bench -- --cpu-prof <dir>`) summed by function, self and total time.
 * Give the request count to read the figures as microseconds per request.
 *
 *   npx tsx test/bench/profile-summary.ts <file.cpuprofile> [--requests N] [--top 30]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

export interface FunctionCost {
  name: string
  /** Microseconds spent in the function itself. */
  self: number
  /** Microseconds spent in it and everything it called (each stack counted once per function). */
  total: number
}

const label = (n: ProfileNode): string => {
  const file = n.callFrame.url.replace(/^.*\/(node_modules\/|work\/main\/)?/, (_m, nm: string | undefined) => (nm === 'node_modules/' ? 'nm:' : ''))
  const name = n.callFrame.functionName || '(anonymous)'
  return file ? `${name} ${file}:${n.callFrame.lineNumber + 1}` : name
}

/** Self and total time per function, largest self time first. */
export function summarizeProfile(profile: Profile): FunctionCost[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0
    let id: number | undefined = profile.samples[i]!
    const leaf = byId.get(id)!
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt)
    const seen = new Set<string>()
    while (id !== undefined) {
      const name = label(byId.get(id)!)
      if (!seen.has(name)) {
        seen.add(name)
        total.set(name, (total.get(name) ?? 0) + dt)
      }
      id = parent.get(id)
    }
  }
  return [...self.keys(), ...total.keys()]
    .filter((name, i, all) => all.indexOf(name) === i)
    .map((name) => ({ name, self: self.get(name) ?? 0, total: total.get(name) ?? 0 }))
    .sort((a, b) => b.self - a.self)
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { requests: { type: 'string' }, top: { type: 'string', default: '30' }, by: { type: 'string', default: 'self' } },
  })
  const file = positionals[0]
  if (!file) throw new Error('Usage: profile-summary.ts <file.cpuprofile> [--requests N] [--top 30] [--by self|total]')
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const costs = summarizeProfile(profile)
  if (values.by === 'total') costs.sort((a, b) => b.total - a.total)
  const per = values.requests ? Number(values.requests) : 0
  const unit = per ? 'µs/req' : 'ms'
  const show = (us: number) => (per ? (us / per).toFixed(2) : (us / 1000).toFixed(1)).padStart(9)
  console.log(`${'self ' + unit}`.padStart(9), `${'total ' + unit}`.padStart(9), ' function')
  for (const c of costs.slice(0, Number(values.top))) console.log(show(c.self), show(c.total), '', c.name)
}
