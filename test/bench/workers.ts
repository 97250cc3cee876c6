/**
 * Throughput of the wiki's read route (a page view, docs/examples/wiki) served
 * by 1, 2 and 4 worker processes (runWorkers, as `dovetail start --workers`
 * runs them), and by one process without workers, side by side in one run:
 * each in turn under wrk, the order rotated each round. See
 * docs/benchmarks.md#workers for the method and the figures.
 *
 *   npm run bench:workers
 *   npm run bench:workers -- --quick                       # 2 rounds of 3 s
 *   npm run bench:workers -- --workers 0,1,2,4,8 --rounds 6 --duration 10 --json workers.json
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { compileBench, type CompiledBench } from './compile.js'
import { cpuTimes, machineTicks, ticksPerSecond } from './proc-cpu.js'
import { median } from './stats.js'
import { runWrk } from './wrk.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    workers: { type: 'string', default: '0,1,2,4' },
    duration: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    path: { type: 'string', default: '/pages/FrontPage' },
    json: { type: 'string' },
  },
})

// wrk takes whole seconds, so every option here is a whole number.
const whole = (name: string, raw: string | undefined, fallback: number, min = 1): number => {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} takes a whole number of at least ${min}, got '${raw}'.`)
  return n
}
const duration = whole('duration', values.duration, values.quick ? 3 : 5)
const rounds = whole('rounds', values.rounds, values.quick ? 2 : 4)
const warmup = whole('warmup', values.warmup, 2)
// 32, not run.ts's 64: a page view costs milliseconds, not microseconds, and 32 is already more
// requests in flight than 4 workers on 2 cores can run at once.
const connections = whole('connections', values.connections, 32)
// wrk's own 2 s timeout is near what 32 queued page views take on one busy process; a slow answer is
// a figure here, and a timeout (a socket error) would void the run.
const timeout = 10
const counts = values.workers.split(',').map((w) => whole('workers', w.trim(), 0, 0))
/** The count each ratio is taken against: 1 worker when measured, else the first. */
const base = counts.includes(1) ? 1 : counts[0]!
const label = (count: number) => (count === 0 ? 'no workers (one process)' : `${count} worker${count === 1 ? '' : 's'}`)

interface Sample {
  round: number
  workers: number
  requestsPerSecond: number
  cpuMicrosPerRequest: number
  othersBusy: number
}

interface Wiki {
  url: string
  pids: number[]
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/** Start the compiled wiki with `count` workers; resolves once every worker serves. */
async function startWiki(compiled: CompiledBench, env: NodeJS.ProcessEnv, count: number): Promise<Wiki> {
  // The request log goes to stdout: thrown away, as a log shipper would take it, never a full pipe.
  const child = spawn(process.execPath, [compiled.script('servers/wiki.ts')], { cwd: compiled.dir, env: { ...env, WIKI_WORKERS: String(count) }, stdio: ['ignore', 'ignore', 'pipe'] })
  running.add(child)
  let seen = ''
  const ready = (async () => {
    for await (const line of createInterface({ input: child.stderr! })) {
      seen += `${line}\n`
      if (!line.startsWith('{"port"')) continue
      return JSON.parse(line) as { port: number; pids: number[] }
    }
    throw new Error(`the wiki with ${label(count)} exited before it served:\n${seen}`)
  })()
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the wiki with ${label(count)} did not serve within 120 s:\n${seen}`)), 120_000).unref())
  const { port, pids } = await Promise.race([ready, timeout])
  return {
    url: `http://127.0.0.1:${port}`,
    pids,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = once(child, 'exit')
        child.kill('SIGTERM')
        await gone
      }
      running.delete(child)
    },
  }
}

async function measure(compiled: CompiledBench, env: NodeJS.ProcessEnv): Promise<Sample[]> {
  const samples: Sample[] = []
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round: a machine that drifts then favours no one count.
    for (const count of counts.map((_, i) => counts[(i + round) % counts.length]!)) {
      const wiki = await startWiki(compiled, env, count)
      try {
        const page = await fetch(wiki.url + values.path)
        const html = await page.text()
        if (page.status !== 200 || !html.includes('<title>')) throw new Error(`GET ${values.path} answered ${page.status}, not the page:\n${html.slice(0, 500)}`)
        await runWrk(wiki.url + values.path, { duration: warmup, connections, timeout })
        // wrk stops with requests still queued in the workers: let them drain before measuring.
        await new Promise((resolve) => setTimeout(resolve, 1000))
        await (await fetch(wiki.url + values.path)).text()
        const cpu = () => wiki.pids.reduce((sum, pid) => sum + (({ user, system }) => user + system)(cpuTimes(pid)), 0)
        const [before, machineBefore] = [cpu(), machineTicks()]
        const result = await runWrk(wiki.url + values.path, { duration, connections, timeout })
        const [after, machineAfter] = [cpu(), machineTicks()]
        if (result.non2xx || result.socketErrors) throw new Error(`${label(count)}: ${result.non2xx} non-2xx responses and ${result.socketErrors} socket errors under load.`)
        const used = after - before
        // Share of all cores busy with anything but the wiki's processes (wrk included): high means a noisy run.
        const othersBusy = (machineAfter.busy - machineBefore.busy - used * ticksPerSecond()) / Math.max(1, machineAfter.total - machineBefore.total)
        const sample = { round, workers: count, requestsPerSecond: result.requestsPerSecond, cpuMicrosPerRequest: (used * 1e6) / result.requests, othersBusy }
        samples.push(sample)
        process.stderr.write(
          `round ${round + 1}/${rounds}  ${label(count).padEnd(26)} ${Math.round(sample.requestsPerSecond).toString().padStart(6)} req/s  ` +
            `${sample.cpuMicrosPerRequest.toFixed(0)} µs CPU/req  others busy ${Math.round(othersBusy * 100)}%\n`,
        )
      } finally {
        await wiki.stop()
      }
    }
  }
  return samples
}

/** One row per count: median req/s, the median of per-round ratios to the base count, median CPU per request. */
function summarize(samples: Sample[]) {
  return counts.map((count) => {
    const mine = samples.filter((s) => s.workers === count)
    const ratios = mine.flatMap((s) => {
      const against = samples.find((b) => b.round === s.round && b.workers === base)
      return against ? [s.requestsPerSecond / against.requestsPerSecond] : []
    })
    return {
      workers: count,
      requestsPerSecond: median(mine.map((s) => s.requestsPerSecond)),
      ratio: median(ratios),
      cpuMicrosPerRequest: median(mine.map((s) => s.cpuMicrosPerRequest)),
      othersBusy: median(mine.map((s) => s.othersBusy)),
    }
  })
}

const machine = { node: process.version, cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', date: new Date().toISOString() }
process.stderr.write('compiling Dovetail, the wiki and its server script with tsc...\n')
const compiled = await compileBench('tsconfig.wiki.json')
// What the wiki reads beside its compiled app.js: templates and stylesheet (tsc copies no such files).
for (const folder of ['templates', 'static']) cpSync(join(repoRoot, 'docs/examples/wiki', folder), join(compiled.dir, 'dist/docs/examples/wiki', folder), { recursive: true })
const data = mkdtempSync(join(tmpdir(), 'dovetail-bench-wiki-'))
process.once('SIGINT', () => process.exit(130))
process.once('exit', () => {
  compiled.remove()
  rmSync(data, { recursive: true, force: true })
})
// A SQLite file of its own, migrated and seeded once: every count reads the same pages.
const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: join(data, 'wiki.db'), WIKI_SESSION_SECRET: 'a-bench-session-secret-of-at-least-32-characters' }
await promisify(execFile)(process.execPath, [compiled.script('servers/wiki.ts'), 'setup'], { cwd: compiled.dir, env })

process.stderr.write(`GET ${values.path}: wrk -t1 -c${connections} -d${duration}s --timeout ${timeout}s, ${rounds} rounds, ${warmup}s warm-up; node ${machine.node}, ${machine.cores} cores (${machine.cpu})\n`)
const samples = await measure(compiled, env)
const rows = summarize(samples)
const table = [
  `| server | req/s (median) | × ${label(base)} | CPU µs/req (all processes) | others busy |`,
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${label(r.workers)} | ${Math.round(r.requestsPerSecond)} | ${r.ratio.toFixed(2)} | ${Math.round(r.cpuMicrosPerRequest)} | ${Math.round(r.othersBusy * 100)}% |`),
]
console.log(`\n${table.join('\n')}`)
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify({ machine, path: values.path, duration, rounds, connections, warmup, rows, samples }, null, 2)}\n`)
  process.stderr.write(`\nwrote ${values.json}\n`)
}
