/**
 * Test hosts on this machine: Linux network namespaces joined to the host's
 * own namespace by veth pairs, so a test can run a program "on another
 * machine" (its own addresses, its own loopback, its own ports) and kill the
 * whole machine at once.
 *
 *     host namespace                            namespace dvt-<pid>-0-h1
 *     dvt<pid>s0h1  10.213.X.1/24  <── veth ──>  dvt<pid>s0n1  10.213.X.2/24, lo up
 *     (nginx, the test, the forwarders)        (the app's processes)
 *
 * Traffic stays on this machine: a namespace has no default route and IP
 * forwarding is left as it is (off), so from inside one only its own
 * addresses and the host side of its veth are reachable (the network rules
 * of this workplace allow loopback and the project's own test hosts only).
 *
 * The shared PostgreSQL and Redis listen on 127.0.0.1 only, which is each
 * namespace's own loopback, and their config must not change. So for each
 * forwarded port the test listens on the host side of every veth
 * (10.213.X.1:<port>) and pipes each connection to 127.0.0.1:<port>: the
 * processes in a namespace use 10.213.X.1 as the database's host, and the
 * server sees a local connection (trust authentication still applies).
 *
 * Names carry this process's id (`dvt-<pid>-<seq>-h<n>`), so parallel runs never
 * share one; subnets are picked under a lock among those no live run holds.
 * What a crashed earlier run left (its process is gone) is removed before
 * anything is made, and {@link TestNetwork.remove} removes this run's own,
 * also when the process exits without calling it.
 */
import { type ChildProcess, execFileSync, spawn, type SpawnOptions } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { binaryAvailable, binaryPath } from './binaries.js'
import { ciSetting, isCi } from './ci.js'

/** One test host: a network namespace with one address, reachable from the host's namespace. */
export interface TestHost {
  /** The namespace's name, `dvt-<pid>-h<n>`. */
  readonly name: string
  /** Its address, `10.213.X.2`: where its servers listen and where nginx reaches them. */
  readonly address: string
  /** The host side of its veth, `10.213.X.1`: where it reaches the forwarded services (PostgreSQL, Redis). */
  readonly gateway: string
  /** Start a program inside the namespace (`ip netns exec`), as `spawn` would. */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess
  /** The ids of every process in the namespace (`ip netns pids`). */
  pids(): number[]
  /** SIGKILL every process in the namespace, as if the machine lost power; resolves with how many were killed once none is left. */
  kill(): Promise<number>
}

/** The hosts of one test, and the forwarders that let them reach the host's services. */
export interface TestNetwork {
  readonly hosts: readonly TestHost[]
  /** Kill what runs in the namespaces, delete them (their veth pairs go with them) and close the forwarders. Safe to call twice. */
  remove(): Promise<void>
}

export interface TestNetworkOptions {
  /** How many hosts. @default 2 */
  hosts?: number
  /** Ports on the host's 127.0.0.1 that the hosts reach at their gateway address, e.g. `[5432, 6379]`. @default [] */
  forward?: readonly number[]
}

const PREFIX = 'dvt'
const LOCK = '/run/dovetail-netns.lock'
/** The /16 the test subnets come from: 10.213.X.0/24, one X per host. */
const NET = '10.213'

/**
 * Whether namespaces can be made here: root, `ip` (iproute2), and a namespace
 * made and deleted as a trial. Where not, on a developer's machine the suite
 * skips with a loud warning; in CI it is a failure, so a green CI run means
 * the hosts really ran.
 *
 * @example
 * const canNetns = netnsAvailable()
 * describe.skipIf(!canNetns)('behind a load balancer', () => { ... })
 */
export function netnsAvailable(): boolean {
  if (!binaryAvailable('ip')) return false
  let problem: string | undefined
  if (process.getuid?.() !== 0) problem = 'network namespaces need root'
  else {
    // Made and deleted at once: root in a container without the privilege can list namespaces, not make one.
    const probe = names(process.pid, 'p', 0).namespace
    try {
      execFileSync(binaryPath('ip')!, ['netns', 'add', probe], { stdio: 'pipe' })
      execFileSync(binaryPath('ip')!, ['netns', 'delete', probe], { stdio: 'pipe' })
    } catch (error) {
      problem = `\`ip netns add\` failed: ${((error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message).split('\n')[0]}`
    }
  }
  if (problem === undefined) return true
  if (isCi()) throw new Error(`${problem}, and ${ciSetting()}: the multi-host suite must run in CI (as root, with iproute2; see .ci/run).`)
  process.stderr.write(`\n${'!'.repeat(72)}\n!! SKIPPING the multi-host suite: ${problem}.\n!! Run the tests as root to run it; in CI this is a failure.\n${'!'.repeat(72)}\n\n`)
  return false
}

const ip = (...args: string[]): string => execFileSync(binaryPath('ip')!, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The processes in a namespace, found as `ip netns pids` finds them (a
 * process's /proc/<pid>/ns/net is the same file as /run/netns/<name>), but
 * without starting a program: on a busy machine that costs a tenth of a second,
 * during which a host being killed would still be answering.
 */
function namespacePids(name: string): number[] {
  const namespace = statSync(`/run/netns/${name}`)
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const net = statSync(`/proc/${entry}/ns/net`)
      if (net.ino === namespace.ino && net.dev === namespace.dev) pids.push(Number(entry))
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  return pids
}

function killNamespace(name: string): number[] {
  const killed: number[] = []
  for (const pid of namespacePids(name)) {
    try {
      process.kill(pid, 'SIGKILL')
      killed.push(pid)
    } catch {
      // already gone
    }
  }
  return killed
}

/**
 * Names of host `n` of this process's network number `seq` (one base-36
 * character): the namespace `dvt-<pid>-<seq>-h<n>`, its veth ends
 * `dvt<pid>s<seq>h<n>` (host side) and `dvt<pid>s<seq>n<n>` (inside), within
 * the 15 characters an interface name may have.
 */
const names = (pid: number, seq: string, n: number) => ({
  namespace: `${PREFIX}-${pid}-${seq}-h${n}`,
  outside: `${PREFIX}${pid}s${seq}h${n}`,
  inside: `${PREFIX}${pid}s${seq}n${n}`,
})
/** The host-side veth end of a namespace named as {@link names} does. */
const outsideEnd = (namespace: string): string => {
  const [, pid, seq, n] = /^[a-z]+-(\d+)-(\w)-h(\d+)$/.exec(namespace)!
  return names(Number(pid), seq!, Number(n)).outside
}
/** Namespaces of this process's networks not yet removed: not stale, although their process is alive and ours. */
const live = new Set<string>()
/** Numbers this process's networks, so two at once get different names. */
let networks = 0

function deleteNamespace(name: string): void {
  try {
    killNamespace(name)
  } catch {
    // no such namespace
  }
  // Deleting the link here, not leaving it to the namespace's teardown (which the kernel finishes later), frees its subnet now.
  for (const args of [['link', 'delete', outsideEnd(name)], ['netns', 'delete', name]]) {
    try {
      ip(...args)
    } catch {
      // already gone
    }
  }
}

/**
 * Remove what runs of this test left whose process is no longer alive (or
 * whose id is ours, so from a dead run that had it before): their namespaces
 * with whatever still runs in them, and host-side veth ends.
 */
function removeStale(): void {
  // Ours, unless a network of this process holds it: a dead run's that had our id.
  const stale = (pid: number, namespace: string) => (pid === process.pid ? !live.has(namespace) : !alive(pid))
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ')[0]!
    const owner = new RegExp(`^${PREFIX}-(\\d+)-\\w-h\\d+$`).exec(name)
    if (owner && stale(Number(owner[1]), name)) deleteNamespace(name)
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const owner = new RegExp(`^\\d+: (${PREFIX}(\\d+)s(\\w)h(\\d+))[@:]`).exec(line)
    if (owner && stale(Number(owner[2]), names(Number(owner[2]), owner[3]!, Number(owner[4])).namespace)) {
      try {
        ip('link', 'delete', owner[1]!)
      } catch {
        // went with its namespace
      }
    }
  }
}

/** Run `body` holding a lock that parallel runs of this file share (a directory: mkdir is atomic), freed when its holder is dead. */
function withLock<T>(body: () => T): T {
  for (const started = Date.now(); ; ) {
    try {
      mkdirSync(LOCK)
      break
    } catch {
      let holder = 0
      try {
        holder = Number(readFileSync(`${LOCK}/pid`, 'utf8'))
      } catch {
        // being written: wait
      }
      if (holder && !alive(holder)) rmSync(LOCK, { recursive: true, force: true })
      else if (Date.now() - started > 15_000) throw new Error(`${LOCK} is held by process ${holder} for more than 15 s`)
      else execFileSync('sleep', ['0.05'])
    }
  }
  try {
    writeFileSync(`${LOCK}/pid`, String(process.pid))
    return body()
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}

/** Third octets of 10.213.X.0/24 subnets that no interface of the host's namespace has an address in. */
function freeSubnets(count: number): number[] {
  const taken = new Set(
    [...ip('-4', '-o', 'addr', 'show').matchAll(new RegExp(`inet ${NET.replace('.', '\\.')}\\.(\\d+)\\.`, 'g'))].map((m) => Number(m[1])),
  )
  const free: number[] = []
  for (let x = 1; x < 255 && free.length < count; x++) if (!taken.has(x)) free.push(x)
  if (free.length < count) throw new Error(`fewer than ${count} free subnets left in ${NET}.0.0/16`)
  return free
}

/** A TCP forwarder on `host:port` to 127.0.0.1:`port`. */
function forwarder(host: string, port: number): Promise<Server> {
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
      // A host killed mid-query resets its end; the other end is closed with it.
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  // close() waits for open connections; the hosts are gone by then, but their pools may linger.
  const close = server.close.bind(server)
  server.close = (callback) => {
    for (const socket of sockets) socket.destroy()
    return close(callback)
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(server))
  })
}

/**
 * Make `hosts` network namespaces, each with a veth pair to the host's
 * namespace, loopback up, and the `forward` ports of the host's 127.0.0.1
 * reachable at its gateway address. Call {@link TestNetwork.remove} after the
 * test (in `afterAll`); a run that dies without it is cleaned up by the next.
 *
 * @example
 * const network = await createTestNetwork({ hosts: 3, forward: [5432, 6379] })
 * const [a] = network.hosts
 * a.spawn('node', ['server.js'], { env: { HOST: a.address, DATABASE_URL: `postgresql://postgres@${a.gateway}:5432/test` } })
 * await a.kill()          // the whole host, at once
 * await network.remove()
 */
export async function createTestNetwork({ hosts: count = 2, forward = [] }: TestNetworkOptions = {}): Promise<TestNetwork> {
  const made: string[] = []
  const servers: Server[] = []
  const seq = (networks++ % 36).toString(36)
  let removed = false
  const removeNow = () => {
    if (removed) return
    removed = true
    for (const name of made) {
      deleteNamespace(name)
      live.delete(name)
    }
    for (const server of servers) server.close()
  }
  // The namespaces outlive this process unless deleted: also on an exit that skips remove().
  process.once('exit', removeNow)
  const remove = async () => {
    removeNow()
    process.off('exit', removeNow)
  }
  try {
    const hosts = withLock(() => {
      removeStale()
      return freeSubnets(count).map((x, index) => {
        const n = index + 1
        const { namespace: name, outside, inside } = names(process.pid, seq, n)
        const address = `${NET}.${x}.2`
        const gateway = `${NET}.${x}.1`
        ip('netns', 'add', name)
        made.push(name)
        live.add(name)
        ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside)
        ip('link', 'set', inside, 'netns', name)
        ip('addr', 'add', `${gateway}/24`, 'dev', outside)
        ip('link', 'set', outside, 'up')
        ip('-n', name, 'addr', 'add', `${address}/24`, 'dev', inside)
        ip('-n', name, 'link', 'set', inside, 'up')
        ip('-n', name, 'link', 'set', 'lo', 'up')
        return host(name, address, gateway)
      })
    })
    for (const { gateway } of hosts) for (const port of forward) servers.push(await forwarder(gateway, port))
    return { hosts, remove }
  } catch (error) {
    await remove()
    throw error
  }
}

function host(name: string, address: string, gateway: string): TestHost {
  return {
    name,
    address,
    gateway,
    spawn: (command, args, options = {}) => spawn(binaryPath('ip')!, ['netns', 'exec', name, command, ...args], options),
    pids: () => namespacePids(name),
    kill: async () => {
      const killed = new Set<number>()
      // A process may be forking as the first ones die: repeat until the namespace is empty.
      for (let round = 0; round < 50; round++) {
        if (!namespacePids(name).length) return killed.size
        for (const pid of killNamespace(name)) killed.add(pid)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error(`processes are still running in ${name} after SIGKILL: ${namespacePids(name).join(', ')}`)
    },
  }
}
