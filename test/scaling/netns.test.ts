import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { binaryPath } from '../support/binaries.js'
import { createTestNetwork, netnsAvailable } from '../support/netns.js'

const canRun = netnsAvailable()
const ip = (...args: string[]) => execFileSync(binaryPath('ip')!, args, { encoding: 'utf8' })
const namespaces = () => ip('netns', 'list')
const links = () => ip('-o', 'link', 'show')
/** Whether a socket listens on `address:port` (IPv4), from /proc/net/tcp: little-endian hex address, state 0A. */
const listening = (address: string, port: number) => {
  const local = `${address.split('.').reverse().map((b) => Number(b).toString(16).padStart(2, '0')).join('')}:${port.toString(16).padStart(4, '0')}`.toUpperCase()
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').some((line) => {
    const fields = line.trim().split(/\s+/)
    return fields[1] === local && fields[3] === '0A'
  })
}
/** Whether a process runs: it exists and is not a zombie (dead, waiting for its parent to collect it). */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

describe.skipIf(!canRun)('test hosts in network namespaces (test/support/netns.ts)', () => {
  it('removes what a run that died left: its namespaces, the processes still in them and its veth ends', async () => {
    // A run that died: its process id is no longer in use.
    const dead = spawnSync('true').pid!
    const name = `dvt-${dead}-0-h1`
    ip('netns', 'add', name)
    ip('link', 'add', `dvt${dead}s0h1`, 'type', 'veth', 'peer', 'name', `dvt${dead}s0n1`)
    ip('link', 'set', `dvt${dead}s0n1`, 'netns', name)
    const orphan = spawn(binaryPath('ip')!, ['netns', 'exec', name, 'sleep', '60'], { stdio: 'ignore' })
    await new Promise((resolve) => orphan.once('spawn', resolve))
    expect(namespaces()).toContain(name)

    const network = await createTestNetwork({ hosts: 1 })
    try {
      expect(namespaces()).not.toContain(name)
      expect(links()).not.toContain(`dvt${dead}s0h1`)
      await new Promise((resolve) => (orphan.exitCode === null && orphan.signalCode === null ? orphan.once('exit', resolve) : resolve(undefined)))
      expect(orphan.signalCode).toBe('SIGKILL')
    } finally {
      await network.remove()
    }
  })

  it('a host reaches a forwarded port of the machine at its gateway, and after remove() nothing of it is left', { timeout: 15_000 }, async () => {
    // A service on the machine's loopback only, as PostgreSQL and Redis are.
    const service = createServer((socket) => socket.end('hello from the machine\n'))
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve))
    const { port } = service.address() as { port: number }
    const network = await createTestNetwork({ hosts: 2, forward: [port] })
    const [one, two] = network.hosts
    try {
      expect(one!.address).not.toBe(two!.address)
      expect(listening(one!.gateway, port)).toBe(true)
      const client = one!.spawn(process.execPath, ['-e', `require('net').connect(${port}, '${one!.gateway}').pipe(process.stdout)`], { stdio: ['ignore', 'pipe', 'inherit'] })
      let heard = ''
      client.stdout!.on('data', (chunk: Buffer) => (heard += chunk))
      await new Promise((resolve) => client.once('exit', resolve))
      expect(heard).toBe('hello from the machine\n')
    } finally {
      await network.remove()
      service.close()
    }
    expect(namespaces()).not.toContain(`dvt-${process.pid}-`)
    expect(links()).not.toContain(`dvt${process.pid}s`)
    // Nor does the forwarder listen any more. (Only looked up: with its veth gone, the gateway address is
    // no longer this machine's, and traffic to it would leave the machine.)
    expect(listening(one!.gateway, port)).toBe(false)
  })

  it('two networks of one process at once get their own names and subnets, and removing one leaves the other', async () => {
    const first = await createTestNetwork({ hosts: 1 })
    const second = await createTestNetwork({ hosts: 1 })
    try {
      expect(second.hosts[0]!.name).not.toBe(first.hosts[0]!.name)
      expect(second.hosts[0]!.address).not.toBe(first.hosts[0]!.address)
      await first.remove()
      expect(namespaces()).not.toContain(first.hosts[0]!.name)
      expect(namespaces()).toContain(second.hosts[0]!.name)
    } finally {
      await first.remove()
      await second.remove()
    }
  })

  it('kill() ends every process of a host at once, children included', async () => {
    const network = await createTestNetwork({ hosts: 1 })
    const [host] = network.hosts
    try {
      const parent = host!.spawn('sh', ['-c', 'sleep 60 & sleep 60 & wait'], { stdio: 'ignore' })
      // The shell and its two sleeps, once started (give a busy machine time).
      for (let waited = 0; host!.pids().length < 3 && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
      const pids = host!.pids()
      expect(pids.length).toBe(3)
      expect(await host!.kill()).toBe(pids.length)
      expect(host!.pids()).toEqual([])
      for (const pid of pids) expect(running(pid)).toBe(false)
      await new Promise((resolve) => (parent.exitCode === null && parent.signalCode === null ? parent.once('exit', resolve) : resolve(undefined)))
    } finally {
      await network.remove()
    }
  })
})
