// Supervision shared by the embedded QuestDB and nats-server: spawn with output to a log file, wait for
// readiness, stop politely then firmly, and never leave a service running after this process is gone.
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { EmbeddedStartFailed } from '../../server/errors/catalogue.js'

/** ServiceProcess is a supervised child: its pid, whether it still runs, and an idempotent stop(). */
export interface ServiceProcess {
  pid: number
  running (): boolean
  /** stop sends SIGTERM, waits up to the grace period, then SIGKILL; resolves once the child is gone. */
  stop (): Promise<void>
}

/** SpawnOptions says what to run and which file receives its stdout and stderr. */
export interface SpawnOptions {
  name: string
  bin: string
  args: string[]
  logFile: string
  env?: NodeJS.ProcessEnv
  stopGraceMs?: number
}

const live = new Set<ChildProcess>()

// Best effort only: 'exit' does not fire when this process dies of an unhandled signal or SIGKILL.
// SIGTERM rather than SIGKILL so a leaked QuestDB still closes its tables cleanly on its own.
process.on('exit', () => { for (const child of live) child.kill('SIGTERM') })

/** spawnService starts bin with its output appended to logFile; it rejects if the binary cannot be run. */
export async function spawnService (o: SpawnOptions): Promise<ServiceProcess> {
  const fd = openSync(o.logFile, 'a')
  let child: ChildProcess
  try {
    // detached: its own process group, so a terminal's Ctrl-C reaches only us and we stop the service
    // after our own graceful shutdown (a final flush to QuestDB), not in the middle of it.
    child = spawn(o.bin, o.args, { env: o.env ?? process.env, stdio: ['ignore', fd, fd], detached: true })
  } finally {
    closeSync(fd) // the child holds its own copy
  }
  const exited = new Promise<void>((resolve) => child.once('close', () => { live.delete(child); resolve() }))
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined))
    child.once('error', resolve)
  })
  if (spawnError !== undefined || child.pid === undefined) {
    throw new EmbeddedStartFailed(o.name, `cannot run ${o.bin}: ${spawnError?.message}`, { cause: spawnError })
  }
  live.add(child)
  // A failed kill() is reported as 'error'; unheard, it would crash the whole server over a dying child.
  child.on('error', () => {})
  // The services must never keep this process alive by themselves; the 'exit' hook above cleans up.
  child.unref()
  let stopping: Promise<void> | undefined
  return {
    pid: child.pid,
    running: () => child.exitCode === null && child.signalCode === null,
    stop: () => (stopping ??= stopChild(child, exited, o.stopGraceMs ?? 15_000))
  }
}

async function stopChild (child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return await exited
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** ReadyOptions describes how waitReady polls a freshly spawned service. */
export interface ReadyOptions {
  name: string
  proc: ServiceProcess
  logFile: string
  check: () => Promise<boolean>
  timeoutMs: number
  intervalMs?: number
}

/** waitReady polls check until it passes; if the child dies or time runs out it stops the child and throws. */
export async function waitReady (o: ReadyOptions): Promise<void> {
  const deadline = Date.now() + o.timeoutMs
  while (true) {
    if (!o.proc.running()) return await failStart(o, 'it exited during start-up')
    if (await o.check().catch(() => false)) return
    if (Date.now() > deadline) return await failStart(o, `it was not ready after ${o.timeoutMs} ms`)
    await sleep(o.intervalMs ?? 100)
  }
}

async function failStart (o: ReadyOptions, why: string): Promise<never> {
  await o.proc.stop()
  const tail = await tailFile(o.logFile, 20)
  throw new EmbeddedStartFailed(o.name, `${why}; last lines of ${o.logFile}:\n${tail}`)
}

/** tailFile returns up to the last n lines of a (possibly large) text file, or '' if it cannot be read. */
export async function tailFile (path: string, n: number): Promise<string> {
  const file = await open(path, 'r').catch(() => undefined)
  if (file === undefined) return ''
  try {
    const { size } = await file.stat()
    const length = Math.min(size, 32 * 1024)
    const buf = Buffer.alloc(length)
    await file.read(buf, 0, length, size - length)
    return buf.toString('utf8').trimEnd().split('\n').slice(-n).join('\n')
  } finally {
    await file.close()
  }
}
