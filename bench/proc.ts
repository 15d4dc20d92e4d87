// Resource use of the processes under test, read from /proc (Linux only; elsewhere the numbers are null).
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

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

/** machineBusySeconds is the CPU time all processes have used so far (every core summed), or null. */
export function machineBusySeconds (): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] as string
    // cpu user nice system idle iowait irq softirq steal …: idle and iowait are the only non-busy ones.
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number)
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS_PER_S
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

const MACHINE = 'machine'

/** othersCores is the CPU used outside the listed processes: machine − Σ named, the noise from neighbours. */
export function othersCores (cores: Record<string, number | null>): number | null {
  const machine = cores[MACHINE]
  if (machine == null) return null
  const ours = Object.entries(cores).reduce((sum, [name, v]) => (name === MACHINE ? sum : sum + (v ?? 0)), 0)
  return Math.max(0, Math.round((machine - ours) * 100) / 100)
}

/** CpuWindow measures how many cores each named process used between start() and stop(). */
export class CpuWindow {
  private startCpu = new Map<string, number | null>()
  private startAt = 0

  constructor (private readonly pids: () => Record<string, number | undefined>) {}

  start (): void {
    this.startAt = performance.now()
    this.startCpu = new Map(Object.entries(this.pids()).map(([name, pid]) => [name, pid === undefined ? null : cpuSeconds(pid)]))
    this.startCpu.set(MACHINE, machineBusySeconds())
  }

  /** stop returns cores used per process (1.0 = one core busy all the time), null where unknown, and under
   * `machine` the whole machine's busy cores. */
  stop (): Record<string, number | null> {
    const seconds = (performance.now() - this.startAt) / 1000
    const now = new Map(Object.entries(this.pids()).map(([name, pid]) => [name, pid === undefined ? null : cpuSeconds(pid)]))
    now.set(MACHINE, machineBusySeconds())
    const out: Record<string, number | null> = {}
    for (const [name, after] of now) {
      const before = this.startCpu.get(name)
      out[name] = before == null || after === null ? null : Math.round(((after - before) / seconds) * 100) / 100
    }
    return out
  }
}

/** waitQuiet samples one second at a time until processes other than `pids` use under maxCores, or until
 * timeoutMs; it returns the last noise measured (cores), so a report can say how busy the neighbours were. */
export async function waitQuiet (pids: () => Record<string, number | undefined>, maxCores: number, timeoutMs: number): Promise<number | null> {
  const deadline = performance.now() + timeoutMs
  while (true) {
    const w = new CpuWindow(pids)
    w.start()
    await sleep(1000)
    const noise = othersCores(w.stop())
    if (noise === null || noise < maxCores || performance.now() >= deadline) return noise
  }
}
