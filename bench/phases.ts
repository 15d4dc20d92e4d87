// The two kinds of measurement: the raw QuestDB client alone, and a load phase against the server. Each
// runs its worker as a separate process and measures CPU (and the server's histogram) over its window.
import { setTimeout as sleep } from 'node:timers/promises'
import type { AlarmWatch } from './alarms.js'
import { runScript } from './children.js'
import type { Cleanup } from './cleanup.js'
import { phaseHistograms, scrape, type Scrape } from './metrics.js'
import { CpuWindow, othersCores } from './proc.js'
import { toEnv, type LoadConfig, type LoadMessage, type LoadSummary } from './protocol.js'
import type { RawResult } from './raw-questdb.js'
import type { PhaseResult, RawPhaseResult } from './report.js'

// How long a phase waits, after its last POST, for the alarms of its last probes.
const DRAIN_MS = 5000

/** Pids are the processes whose CPU each phase reports. */
export type Pids = Record<string, number | undefined>

/** RawPhase configures the denominator run. */
export interface RawPhase { qdbHttp: string, durationS: number, warmupS: number, flushRows: number, points: number, sites: number }

/** rawPhase runs bench/raw-questdb.ts and returns its rate with the CPU it and QuestDB used. */
export async function rawPhase (o: RawPhase, pids: Pids, cleanup: Cleanup): Promise<RawPhaseResult> {
  const run = runScript<RawResult>('raw-questdb', {
    RAW_URL: o.qdbHttp,
    RAW_DURATION_S: String(o.durationS),
    RAW_WARMUP_S: String(o.warmupS),
    RAW_FLUSH_ROWS: String(o.flushRows),
    RAW_POINTS: String(o.points),
    RAW_SITES: String(o.sites)
  }, (m): m is RawResult => (m as RawResult).t === 'raw')
  cleanup.add('raw client', run.kill)
  // The raw client and the generator report their own CPU: they have exited by the time the window closes.
  const cpu = new CpuWindow(() => pids)
  const warm = sleep(o.warmupS * 1000).then(() => cpu.start())
  const result = await run.result
  await warm
  return { ...result, cores: withOthers({ ...cpu.stop(), raw: result.cpuCores }) }
}

/** walSettled waits (up to timeoutMs) until QuestDB has applied every WAL table's pending commits, so a
 * following measurement does not compete with the previous phase's backlog. Returns the ms it waited. */
export async function walSettled (qdbHttp: string, timeoutMs = 15_000): Promise<number> {
  const started = performance.now()
  const sql = 'select count() from wal_tables() where writerTxn < sequencerTxn'
  while (performance.now() - started < timeoutMs) {
    const res = await fetch(`${qdbHttp}/exec?query=${encodeURIComponent(sql)}`)
    const body = await res.json() as { dataset?: number[][] }
    if (res.ok && body.dataset?.[0]?.[0] === 0) break
    await sleep(200)
  }
  return Math.round(performance.now() - started)
}

/** LoadPhase is one load-generator run against the server; `label` tags its probes. */
export interface LoadPhase { label: string, load: LoadConfig, serverUrl: string, metricsToken: string }

/** loadPhase runs bench/load.ts, feeding its probes to the alarm watch and printing progress. */
export async function loadPhase (o: LoadPhase, watch: AlarmWatch, pids: Pids, cleanup: Cleanup): Promise<PhaseResult> {
  const isDone = (m: unknown): m is LoadSummary => (m as LoadSummary).t === 'done'
  const run = runScript<LoadSummary>('load', toEnv(o.load), isDone, (m) => onMessage(o.label, m as LoadMessage, watch))
  cleanup.add(`load generator (${o.label})`, run.kill)
  const cpu = new CpuWindow(() => pids)
  // CPU and the server's histogram cover the measured window only, as the sustained rate does.
  let before: Scrape | null = null
  const warm = sleep(o.load.warmupS * 1000).then(async () => {
    cpu.start()
    before = await scrape(o.serverUrl, o.metricsToken)
  })
  const load = await run.result
  await warm
  const cores = cpu.stop()
  // Alarms of the last probes are still on their way; the latencies and the histogram must include them.
  const drainUntil = performance.now() + DRAIN_MS
  do await sleep(250); while (watch.waiting(o.label) > 0 && performance.now() < drainUntil)
  const after = await scrape(o.serverUrl, o.metricsToken)
  return {
    targetRate: o.load.rate,
    load,
    latency: watch.latency(o.label),
    server: phaseHistograms(before, after),
    metricsText: after?.text ?? null,
    cores: withOthers({ ...cores, load: load.cpuCores })
  }
}

function onMessage (label: string, m: LoadMessage, watch: AlarmWatch): void {
  if (m.t === 'probe') {
    watch.addProbe(m, m.warm ? `${label}-warmup` : label)
  } else if (m.t === 'tick' && m.second % 5 === 0) {
    const extra = m.status503 + m.errors > 0 ? `  503: ${m.status503}  errors: ${m.errors}` : ''
    console.error(`bench: ${label.padEnd(4)} t=${String(m.second).padStart(3)}s  ${m.accepted.toLocaleString('en-US')} readings/s${extra}`)
  }
}

// Adds `others`: CPU used by processes outside the benchmark during the window (a noisy neighbour).
function withOthers (cores: Record<string, number | null>): Record<string, number | null> {
  return { ...cores, others: othersCores(cores) }
}
