/**
 * The benchmark, in groups that each compare servers against a baseline of
 * their own (groups.ts): the core (raw node:http, Dovetail on awilix and
 * inversify, Hono, Fastify), the DB routes on MikroORM and Kysely, whole
 * presets against their Fastify equivalents; each server in its own process,
 * loaded by wrk. Start-up to first 200 with --startup (startup.ts). See
 * docs/benchmarks.md for the method.
 *
 *   npm run bench -- --groups db,preset  # groups by substring
 *   npm run bench -- --startup           # only start-up
 *   npm run bench                      # 4 rounds of 5 s per route, then the scope microbenchmark
 *   npm run bench -- --quick           # 2 s per route
 *   npm run bench -- --rounds 6 --duration 10 --json bench.json
 *   npm run bench -- --scopes          # only the scope microbenchmark
 *   npm run bench -- --no-scopes       # skip it
 *   npm run bench -- --servers awilix --rounds 1 --cpu-prof /tmp/prof   # profile the servers
 *   npx tsx test/bench/profile-summary.ts /tmp/prof/<file>.cpuprofile
 */
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { type CompiledBench, compileBench } from './compile.js'
import { cpuTimes, machineTicks, settle, ticksPerSecond } from './proc-cpu.js'
import { checkTargets, formatRows, formatTargets, type Sample, summarize } from './report.js'
import { formatScopeCost, runScopeCost, type ScopeCost } from './scope-cost.js'
import { formatStartup, runStartup, type StartupResult } from './startup.js'
import { benchGroups, type BenchGroup, type GroupRoute, type RequestSpec } from './groups.js'
import { startServer, type RunningServer } from './server-process.js'
import { runWrk, type WrkOptions, wrkScript } from './wrk.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    json: { type: 'string' },
    scopes: { type: 'boolean', default: false },
    'no-scopes': { type: 'boolean', default: false },
    servers: { type: 'string' },
    routes: { type: 'string' },
    groups: { type: 'string' },
    startup: { type: 'boolean', default: false },
    'startup-runs': { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
})

// wrk takes whole seconds, so every option here is a positive integer.
const positive = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number of at least 1, got '${raw}'.`)
  return n
}
const duration = positive('duration', values.duration, values.quick ? 2 : 5)
const rounds = positive('rounds', values.rounds, 4)
const warmup = positive('warmup', values.warmup, 1)
const connections = positive('connections', values.connections, 64)
/** The items whose name contains one of the comma-separated wants; all without a filter. */
const pick = <T extends { name: string }>(items: readonly T[], wants: string | undefined): T[] =>
  wants ? items.filter((item) => wants.split(',').some((want) => item.name.includes(want.trim()))) : [...items]
const groups = pick(benchGroups, values.groups)
if (groups.length === 0) throw new Error(`--groups '${values.groups}' matches none of: ${benchGroups.map((g) => g.name).join(', ')}.`)
const allServers = groups.flatMap((g) => g.servers)
const allRoutes = groups.flatMap((g) => g.routes)
if (pick(allRoutes, values.routes).length === 0) throw new Error(`--routes '${values.routes}' matches none of: ${allRoutes.map((r) => r.name).join(', ')}.`)
if (pick(allServers, values.servers).length === 0) {
  throw new Error(`--servers '${values.servers}' matches none of: ${allServers.map((s) => s.name).join(', ')}.`)
}

const machine = {
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  clockTicks: ticksPerSecond(),
  date: new Date().toISOString(),
}

/** Every route must answer with the expected bytes before it is measured. */
async function verify(server: RunningServer, name: string, routes: readonly GroupRoute[], requests: Map<GroupRoute, RequestSpec>): Promise<void> {
  for (const route of routes) {
    const spec = requests.get(route) ?? {}
    const res = await fetch(server.url + route.path, { method: spec.method ?? 'GET', headers: spec.headers ?? {}, body: spec.body ?? null })
    const body = await res.text()
    const wrong = route.check({ status: res.status, type: res.headers.get('content-type'), body, headers: res.headers })
    if (wrong) throw new Error(`${name} ${route.path}: ${wrong}.`)
  }
}

async function measureGroup(group: BenchGroup, compiled: CompiledBench): Promise<Sample[]> {
  const servers = pick(group.servers, values.servers)
  const routes = pick(group.routes, values.routes)
  const samples: Sample[] = []
  if (servers.length === 0 || routes.length === 0) return samples
  const env = group.env?.(compiled.dir) ?? {}
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round: a machine that drifts then favours no one server.
    const order = servers.map((_, i) => servers[(i + round) % servers.length]!)
    for (const spec of order) {
      const mine = routes.filter((r) => !r.only || r.only(spec))
      if (mine.length === 0) continue
      let served = 0
      await group.before?.(compiled.dir)
      const server = await startServer(spec, compiled, { env, ...(values['cpu-prof'] ? { cpuProfileDir: values['cpu-prof'] } : {}) })
      try {
        const requests = new Map<GroupRoute, RequestSpec>()
        for (const route of mine) {
          if (route.request) requests.set(route, typeof route.request === 'function' ? await route.request(server.url) : route.request)
        }
        await verify(server, spec.name, mine, requests)
        const loads = new Map<GroupRoute, WrkOptions>()
        for (const route of mine) {
          const request = requests.get(route)
          loads.set(route, { duration, connections, ...(request ? { script: wrkScript(compiled.dir, request) } : {}) })
        }
        for (const route of mine) served += (await runWrk(server.url + route.path, { ...loads.get(route)!, duration: warmup })).requests
        for (const route of mine) {
          await settle(server.pid)
          const [before, machineBefore] = [cpuTimes(server.pid), machineTicks()]
          const result = await runWrk(server.url + route.path, loads.get(route)!)
          const [after, machineAfter] = [cpuTimes(server.pid), machineTicks()]
          const user = after.user - before.user
          const cpu = user + after.system - before.system
          // Share of all cores busy with anything but the server (wrk included): high means a noisy run.
          const others =
            (machineAfter.busy - machineBefore.busy - cpu * ticksPerSecond()) / Math.max(1, machineAfter.total - machineBefore.total)
          if (result.non2xx || result.socketErrors) {
            throw new Error(`${spec.name} ${route.path}: ${result.non2xx} non-2xx responses and ${result.socketErrors} socket errors under load.`)
          }
          served += result.requests
          samples.push({
            round,
            server: spec.name,
            route: route.name,
            requests: result.requests,
            seconds: result.seconds,
            requestsPerSecond: result.requestsPerSecond,
            cpuMicrosPerRequest: (cpu * 1e6) / result.requests,
            userMicrosPerRequest: (user * 1e6) / result.requests,
            othersBusy: others,
          })
          process.stderr.write(
            `${group.name} round ${round + 1}/${rounds}  ${spec.name.padEnd(22)} ${route.name.padEnd(26)} ` +
              `${Math.round(result.requestsPerSecond).toString().padStart(7)} req/s  ${((cpu * 1e6) / result.requests).toFixed(1)} µs CPU/req ` +
              `(user ${((user * 1e6) / result.requests).toFixed(1)})  others busy ${Math.round(others * 100)}%\n`,
          )
        }
      } finally {
        await server.stop()
      }
      if (values['cpu-prof']) process.stderr.write(`${spec.name}: ${served} requests in its profile (pass --requests ${served} to profile-summary.ts)\n`)
    }
  }
  return samples
}

let samples: Sample[] = []
const tables: { group: string; baseline: string; rows: ReturnType<typeof summarize> }[] = []
let scopeCost: ScopeCost[] | undefined
const failed: string[] = []
process.stderr.write('compiling Dovetail and the benchmark servers with tsc...\n')
const compiled = await compileBench()
// Ctrl-C still removes the temp folder (and server-process.ts kills the servers on exit).
process.once('SIGINT', () => process.exit(130))
process.once('exit', () => compiled.remove())

if (!values.scopes && (!values.startup || values.groups)) {
  process.stderr.write(
    `wrk -t1 -c${connections} -d${duration}s, ${rounds} rounds, ${warmup}s warm-up per route; ` +
      `node ${machine.node}, ${machine.cores} cores (${machine.cpu})\n`,
  )
  for (const group of groups) {
    const why = await group.unavailable?.()
    if (why) {
      process.stderr.write(`SKIPPED group ${group.name}: ${why}\n`)
      continue
    }
    let mine: Sample[]
    try {
      mine = await measureGroup(group, compiled)
    } catch (error) {
      // One group's failure (a refused answer, errors under load) is reported; the other groups still run.
      failed.push(group.name)
      process.stderr.write(`FAILED group ${group.name}: ${(error as Error).message}\n`)
      continue
    }
    if (mine.length === 0) continue
    samples.push(...mine.map((s) => ({ ...s, group: group.name })))
    const rows = summarize(
      mine,
      group.routes.map((r) => r.name),
      group.servers.map((s) => s.name),
      group.baseline,
    )
    tables.push({ group: group.name, baseline: group.baseline, rows })
    console.log(`\n${group.name} (ratios to ${group.baseline}, same round)\n\n${formatRows(rows, group.baseline)}`)
    if (group.name === 'core') {
      console.log('* /scoped is held against raw node /plaintext: raw node has no request scope to compare with.')
      const reached = checkTargets(rows)
      if (reached.length) console.log(`\nTargets (req/s ratio is the median of per-round ratios):\n${formatTargets(reached)}`)
    }
  }
}
if (values.scopes || (!values['no-scopes'] && !values.groups && !values.startup)) {
  process.stderr.write('\nscope microbenchmark (each case in its own process)...\n')
  scopeCost = await runScopeCost(compiled)
  console.log(`\n${formatScopeCost(scopeCost)}`)
}
let startup: StartupResult[] | undefined
if (values.startup) {
  startup = await runStartup(positive('startup-runs', values['startup-runs'], 10), (line) => process.stderr.write(`${line}\n`))
  console.log(`\nstartup (spawn to first 200 on GET /, ${startup[0]?.times.length} runs each, rotating order)\n\n${formatStartup(startup)}`)
}
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify({ machine, duration, rounds, connections, warmup, tables, samples, scopeCost, startup }, null, 2)}\n`)
  process.stderr.write(`\nwrote ${values.json}\n`)
}
if (failed.length) {
  process.stderr.write(`\n${failed.length} group(s) failed: ${failed.join(', ')}\n`)
  process.exitCode = 1
}
