/**
 * The benchmark: raw node:http, Dovetail on awilix and on inversify, and Hono
 * and Fastify as peers, each in its own process, loaded by wrk. See
 * docs/benchmarks.md for the method.
 *
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
import { benchRoutes } from './bench-routes.js'
import { type CompiledBench, compileBench } from './compile.js'
import { cpuTimes, machineTicks, ticksPerSecond } from './proc-cpu.js'
import { checkTargets, formatRows, formatTargets, type Sample, summarize } from './report.js'
import { formatScopeCost, runScopeCost, type ScopeCost } from './scope-cost.js'
import { benchServers, startServer, type RunningServer } from './server-process.js'
import { runWrk } from './wrk.js'

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
const servers = values.servers
  ? benchServers.filter((s) => values.servers!.split(',').some((want) => s.name.includes(want.trim())))
  : benchServers
const routes = values.routes
  ? benchRoutes.filter((r) => values.routes!.split(',').some((want) => r.name.includes(want.trim())))
  : benchRoutes
if (routes.length === 0) throw new Error(`--routes '${values.routes}' matches none of: ${benchRoutes.map((r) => r.name).join(', ')}.`)
if (servers.length === 0) throw new Error(`--servers '${values.servers}' matches none of: ${benchServers.map((s) => s.name).join(', ')}.`)

const machine = {
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  clockTicks: ticksPerSecond(),
  date: new Date().toISOString(),
}

/** Every route must answer 200 with the expected body before it is measured. */
async function verify(server: RunningServer, name: string, routes: typeof benchRoutes): Promise<void> {
  for (const route of routes) {
    const res = await fetch(server.url + route.path)
    const body = await res.text()
    if (res.status !== 200 || body !== route.body) {
      throw new Error(`${name} ${route.path}: expected 200 '${route.body}', got ${res.status} '${body}'.`)
    }
  }
}

async function measureHttp(compiled: CompiledBench): Promise<Sample[]> {
  const samples: Sample[] = []
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round: a machine that drifts then favours no one server.
    const order = servers.map((_, i) => servers[(i + round) % servers.length]!)
    for (const spec of order) {
      const mine = routes.filter((r) => spec.dovetail || !r.dovetailOnly)
      if (mine.length === 0) continue
      let served = 0
      const server = await startServer(spec, compiled, values['cpu-prof'] ? { cpuProfileDir: values['cpu-prof'] } : {})
      try {
        await verify(server, spec.name, mine)
        for (const route of mine) served += (await runWrk(server.url + route.path, { duration: warmup, connections })).requests
        for (const route of mine) {
          const [before, machineBefore] = [cpuTimes(server.pid), machineTicks()]
          const result = await runWrk(server.url + route.path, { duration, connections })
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
            `round ${round + 1}/${rounds}  ${spec.name.padEnd(22)} ${route.name.padEnd(26)} ` +
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
let rows: ReturnType<typeof summarize> = []
let scopeCost: ScopeCost[] | undefined
process.stderr.write('compiling Dovetail and the benchmark servers with tsc...\n')
const compiled = await compileBench()
// Ctrl-C still removes the temp folder (and server-process.ts kills the servers on exit).
process.once('SIGINT', () => process.exit(130))
process.once('exit', () => compiled.remove())

if (!values.scopes) {
  process.stderr.write(
    `wrk -t1 -c${connections} -d${duration}s, ${rounds} rounds, ${warmup}s warm-up per route; ` +
      `node ${machine.node}, ${machine.cores} cores (${machine.cpu})\n`,
  )
  samples = await measureHttp(compiled)
  rows = summarize(
    samples,
    routes.map((r) => r.name),
    servers.map((s) => s.name),
  )
  console.log(`\n${formatRows(rows)}`)
  console.log('* /scoped is held against raw node /plaintext: raw node has no request scope to compare with.')
  const reached = checkTargets(rows)
  if (reached.length) console.log(`\nTargets (req/s ratio is the median of per-round ratios):\n${formatTargets(reached)}`)
}
if (values.scopes || !values['no-scopes']) {
  process.stderr.write('\nscope microbenchmark (each case in its own process)...\n')
  scopeCost = await runScopeCost(compiled)
  console.log(`\n${formatScopeCost(scopeCost)}`)
}
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify({ machine, duration, rounds, connections, warmup, rows, samples, scopeCost }, null, 2)}\n`)
  process.stderr.write(`\nwrote ${values.json}\n`)
}
