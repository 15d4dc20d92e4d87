// Resource use of the processes under test, read from /proc (Linux only; elsewhere the numbers are null).
import { readFileSync } from 'node:fs'

const TICKS_PER_S = 100 // USER_HZ: 100 on every Linux this runs on

/** rssMb is a process's resident set size in MiB, or null when it cannot be read (gone, not Linux). */
export function rssMb (pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m === null ? null : Number(m[1]) / 1024
  } catch {
    return null
  }
}

/** cpuSeconds is the user + system CPU a process has used so far, or null. */
export function cpuSeconds (pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S
  } catch {
    return null
  }
}

/** RssSampler keeps the maximum RSS of one process, sampled every intervalMs. */
export class RssSampler {
  private max: number | null = null
  private readonly timer: NodeJS.Timeout

  constructor (private readonly pid: number, intervalMs = 250) {
    this.timer = setInterval(() => this.sample(), intervalMs)
    this.timer.unref()
    this.sample()
  }

  sample (): void {
    const mb = rssMb(this.pid)
    if (mb !== null && (this.max === null || mb > this.max)) this.max = mb
  }

  maxMb (): number | null { return this.max }

  stop (): void { clearInterval(this.timer) }
}

/** CpuWindow measures how many cores each named process used between start() and stop(). */
export class CpuWindow {
  private startCpu = new Map<string, number | null>()
  private startAt = 0

  constructor (private readonly pids: () => Record<string, number | undefined>) {}

  start (): void {
    this.startAt = performance.now()
    this.startCpu = new Map(Object.entries(this.pids()).map(([name, pid]) => [name, pid === undefined ? null : cpuSeconds(pid)]))
  }

  /** stop returns cores used per process (1.0 = one core busy all the time), null where unknown. */
  stop (): Record<string, number | null> {
    const seconds = (performance.now() - this.startAt) / 1000
    const out: Record<string, number | null> = {}
    for (const [name, pid] of Object.entries(this.pids())) {
      const before = this.startCpu.get(name)
      const after = pid === undefined ? null : cpuSeconds(pid)
      out[name] = before == null || after === null ? null : Math.round(((after - before) / seconds) * 100) / 100
    }
    return out
  }
}
