/**
 * What one request's scope costs, without HTTP: create a scope, resolve three
 * scoped services, and (second figure) dispose the scope, as a request does.
 *
 * Each case runs in its own process, compiled by tsc as the published package
 * is (see compile.ts), so the JIT sees only one container library, as in a
 * real app; cases alternate over rounds and the median is reported.
 *
 *   npx tsx test/bench/scope-cost.ts            # all cases
 *   npm run bench -- --scopes                   # the same, from run.ts
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { asFunction, createContainer, InjectionMode, Lifetime } from 'awilix'
import { Container as InversifyContainer } from 'inversify'
import { Container, type ContainerAdapter, type ScopeHolder, token } from 'dovetailjs'
import { AwilixAdapter } from 'dovetailjs/components/container/awilix'
import { InversifyAdapter } from 'dovetailjs/components/container/inversify'
import { type CompiledBench, compileBench } from './compile.js'
import { formatTable } from './report.js'
import { median } from './stats.js'

class RequestId {
  readonly value = 'request-id'
}
class RequestClock {
  readonly tick = 7
}
class Greeter {
  readonly name = 'greeter'
}

/** One request's worth of scope work, with and without disposal, on a container `setup()` builds. */
interface ScopeCase {
  name: string
  setup(): ScopeWork
}

interface ScopeWork {
  resolveThree(): unknown
  resolveThreeAndDispose(): Promise<unknown>
}

const rawAwilix: ScopeCase = {
  name: 'raw awilix: createScope() + 3 resolves',
  setup() {
    const root = createContainer({ injectionMode: InjectionMode.CLASSIC, strict: false })
    root.register({
      requestId: asFunction(() => new RequestId()).setLifetime(Lifetime.SCOPED),
      clock: asFunction(() => new RequestClock()).setLifetime(Lifetime.SCOPED),
      greeter: asFunction(() => new Greeter()).setLifetime(Lifetime.SCOPED),
    })
    const three = () => {
      const scope = root.createScope()
      scope.resolve('requestId')
      scope.resolve('clock')
      scope.resolve('greeter')
      return scope
    }
    return { resolveThree: three, resolveThreeAndDispose: () => three().dispose() }
  },
}

const rawInversify: ScopeCase = {
  name: 'raw inversify: child container, 3 bindings + 3 get()',
  setup() {
    const root = new InversifyContainer()
    const three = () => {
      const child = new InversifyContainer({ parent: root })
      child.bind(RequestId).toDynamicValue(() => new RequestId()).inSingletonScope()
      child.bind(RequestClock).toDynamicValue(() => new RequestClock()).inSingletonScope()
      child.bind(Greeter).toDynamicValue(() => new Greeter()).inSingletonScope()
      child.get(RequestId)
      child.get(RequestClock)
      child.get(Greeter)
      return child
    }
    return { resolveThree: three, resolveThreeAndDispose: () => three().unbindAllAsync() }
  },
}

const RequestIdToken = token<RequestId>('RequestId')
const ClockToken = token<RequestClock>('RequestClock')
const GreeterToken = token<Greeter>('Greeter')

function dovetailCase(name: string, adapter: () => ContainerAdapter): ScopeCase {
  return {
    name,
    setup() {
      const container = new Container(adapter())
      container
        .registryFor('scope-cost')
        .scoped(RequestIdToken, () => new RequestId())
        .scoped(ClockToken, () => new RequestClock())
        .scoped(GreeterToken, () => new Greeter())
      const three = () => {
        // What ctx.resolve does: a fresh holder per request, the scope made on first need.
        const holder: ScopeHolder = { scope: undefined }
        container.resolveFor(holder, RequestIdToken)
        container.resolveFor(holder, ClockToken)
        container.resolveFor(holder, GreeterToken)
        return holder
      }
      return { resolveThree: three, resolveThreeAndDispose: () => three().scope!.dispose() }
    },
  }
}

export const scopeCases: readonly ScopeCase[] = [
  rawAwilix,
  dovetailCase('dovetail Container.resolveFor, awilix adapter', () => new AwilixAdapter()),
  rawInversify,
  dovetailCase('dovetail Container.resolveFor, inversify adapter', () => new InversifyAdapter()),
]

export interface ScopeCost {
  name: string
  /** Microseconds per request: scope + three resolves. */
  resolveMicros: number
  /** Microseconds per request: the same, then an awaited dispose. */
  withDisposeMicros: number
  /**
   * Bytes still reachable per request after disposal and a full GC: above zero,
   * the container keeps something of every request, and a long-running server grows.
   */
  retainedBytes: number
}

/**
 * CPU time per call of `fn`, in microseconds: the median over batches of about
 * 20 ms each, for about `ms` in all. CPU time (this process, all its threads,
 * so GC helpers count) rather than wall time: on a shared machine a process
 * that is descheduled loses wall time but no CPU time.
 */
async function time(c: ScopeCase, pick: (work: ScopeWork) => () => unknown, ms: number, awaitEach: boolean): Promise<number> {
  const runBatch = async (n: number): Promise<number> => {
    // A fresh container per batch: a container that keeps every request (see retainedBytes)
    // would otherwise be timed on an ever larger heap, and the figure would depend on how long it ran.
    const fn = pick(c.setup())
    const start = process.cpuUsage()
    if (awaitEach) for (let i = 0; i < n; i++) await fn()
    else for (let i = 0; i < n; i++) fn()
    const used = process.cpuUsage(start)
    return used.user + used.system
  }
  // Calibrate the batch size to about 20 ms of CPU.
  let batch = 100
  for (let used = await runBatch(batch); used < 20_000; used = await runBatch(batch)) batch *= 2
  const perCall: number[] = []
  const end = performance.now() + ms
  while (performance.now() < end || perCall.length < 5) perCall.push((await runBatch(batch)) / batch)
  return median(perCall)
}

/** Heap still in use per request after `n` requests with disposal, each side of a full GC. Needs --expose-gc. */
async function retained(c: ScopeCase, n: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('scope-cost.ts --case needs node --expose-gc to measure retained memory.')
  const work = c.setup()
  gc()
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < n; i++) await work.resolveThreeAndDispose()
  gc()
  return Math.max(0, (process.memoryUsage().heapUsed - before) / n)
}

async function measure(c: ScopeCase, ms: number): Promise<ScopeCost> {
  const three = (w: ScopeWork) => w.resolveThree
  const threeAndDispose = (w: ScopeWork) => w.resolveThreeAndDispose
  // Warm up both paths so the JIT has compiled them before anything counts.
  await time(c, three, ms / 3, false)
  await time(c, threeAndDispose, ms / 3, true)
  return {
    name: c.name,
    resolveMicros: await time(c, three, ms, false),
    withDisposeMicros: await time(c, threeAndDispose, ms, true),
    retainedBytes: await retained(c, 5_000),
  }
}

const self = fileURLToPath(import.meta.url)

/** Every case, each in a fresh process, `rounds` times in alternating order; medians. */
export async function runScopeCost(compiled: CompiledBench, options: { rounds?: number; ms?: number } = {}): Promise<ScopeCost[]> {
  const rounds = options.rounds ?? 3
  const ms = options.ms ?? 600
  const samples = new Map<string, ScopeCost[]>()
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...scopeCases].reverse() : scopeCases
    for (const c of order) {
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', compiled.script('scope-cost.ts'), '--case', c.name, '--ms', String(ms)], {
        cwd: compiled.dir,
      })
      const result = JSON.parse(stdout) as ScopeCost
      samples.set(c.name, [...(samples.get(c.name) ?? []), result])
    }
  }
  return scopeCases.map((c) => {
    const mine = samples.get(c.name)!
    return {
      name: c.name,
      resolveMicros: median(mine.map((s) => s.resolveMicros)),
      withDisposeMicros: median(mine.map((s) => s.withDisposeMicros)),
      retainedBytes: median(mine.map((s) => s.retainedBytes)),
    }
  })
}

export function formatScopeCost(results: readonly ScopeCost[]): string {
  return formatTable(
    ['per request', 'scope + 3 resolves µs', '+ dispose µs', 'bytes kept after dispose'],
    results.map((r) => [r.name, r.resolveMicros.toFixed(2), r.withDisposeMicros.toFixed(2), Math.round(r.retainedBytes).toLocaleString('en-US')]),
    new Set([1, 2, 3]),
  )
}

if (process.argv[1] === self) {
  const at = process.argv.indexOf('--case')
  const msAt = process.argv.indexOf('--ms')
  const ms = msAt > 0 ? Number(process.argv[msAt + 1]) : 600
  if (at > 0) {
    const name = process.argv[at + 1]
    const c = scopeCases.find((x) => x.name === name)
    if (!c) throw new Error(`scope-cost.ts: no case named '${name}'. Cases: ${scopeCases.map((x) => x.name).join('; ')}.`)
    process.stdout.write(JSON.stringify(await measure(c, ms)))
  } else {
    const compiled = await compileBench()
    try {
      console.log(formatScopeCost(await runScopeCost(compiled, { ms })))
    } finally {
      compiled.remove()
    }
  }
}
