import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

let clockTicks: number | undefined

/** Kernel clock ticks per second (`getconf CLK_TCK`), the unit of utime and stime. */
export function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  return clockTicks
}

export interface CpuTimes {
  /** Seconds in user space: JavaScript, V8, node's own C++. */
  user: number
  /** Seconds in the kernel on the process's behalf: mostly socket reads and writes here. */
  system: number
}

/**
 * CPU time a process has used so far (all its threads), from
 * `/proc/<pid>/stat`. Linux only.
 *
 * Why CPU time: requests per second on a shared 2-core machine drift with
 * everything else running; the server's CPU time per request drifts much less.
 */
export function cpuTimes(pid: number): CpuTimes {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) is in parentheses and may hold spaces; count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 14 and 15 of the whole line (utime, stime) are 12 and 13 after the name.
  return { user: Number(fields[11]) / ticksPerSecond(), system: Number(fields[12]) / ticksPerSecond() }
}

export interface MachineTicks {
  /** Clock ticks all cores spent busy (user, nice, system, irq, softirq, steal). */
  busy: number
  /** Clock ticks all cores spent, busy or idle. */
  total: number
}

/** The machine-wide counters of `/proc/stat`; the difference of two readings says how busy the machine was. */
export function machineTicks(): MachineTicks {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[]
  const busy = user! + nice! + system! + irq! + softirq! + steal!
  return { busy, total: busy + idle! + iowait! }
}

/**
 * Wait until a process is idle: its CPU time unchanged over two 100 ms looks
 * (at most `limitMs`). A route whose requests outlive wrk's run (a slow
 * /updates leaves dozens queued when wrk closes its sockets) would otherwise
 * bill its backlog to the next route measured.
 */
export async function settle(pid: number, limitMs = 30_000): Promise<void> {
  const started = Date.now()
  let quiet = 0
  let last = cpuTimes(pid)
  while (quiet < 2 && Date.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const now = cpuTimes(pid)
    quiet = now.user + now.system - (last.user + last.system) < 0.005 ? quiet + 1 : 0
    last = now
  }
}
