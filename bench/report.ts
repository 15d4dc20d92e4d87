// The one table `npm run bench` prints, and the same numbers as JSON in bench-results/.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AlarmCounts } from './alarms.js'
import type { HISTOGRAMS, ServerLatency } from './metrics.js'
import type { LoadSummary } from './protocol.js'
import type { RawResult } from './raw-questdb.js'
import type { Percentiles } from './stats.js'

/** PhaseResult is one load phase: what was asked, what the generator saw, latency and CPU. */
export interface PhaseResult {
  targetRate: number
  load: LoadSummary
  latency: Percentiles & { probes: number }
  /** the server's histograms over the measured window (absent when /metrics lacks them) */
  server: Partial<Record<keyof typeof HISTOGRAMS, ServerLatency>>
  /** /metrics at the end of the phase, written beside the JSON rather than into it */
  metricsText: string | null
  cores: Record<string, number | null>
}

/** RawPhaseResult is the raw client's result with the CPU of every process during it. */
export type RawPhaseResult = RawResult & { cores: Record<string, number | null> }

/** RawSummary is the denominator: measured before the server phases and, unless disabled, after them. */
export interface RawSummary { before: RawPhaseResult, after: RawPhaseResult | null, rowsPerSecond: number }

/** BenchResult is everything one run measured (written as JSON; the table is a view of it). */
export interface BenchResult {
  startedAt: string
  machine: { cpus: number, node: string, loadAverage1m: number }
  config: Record<string, unknown>
  raw: RawSummary
  max: PhaseResult
  half: PhaseResult
  ratio: number
  serverRssMaxMb: number | null
  alarms: AlarmCounts & { unmatchedProbes: number, unmatchedCoAlarms: number }
  bars: { ratio: Bar, p99HalfRate: Bar }
}

/** Bar is one target: the measured value, the limit and the verdict (informational, never a test failure). */
export interface Bar { value: number | null, limit: string, pass: boolean }

const n = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

// `machine` (everything) stays in the JSON; the table shows each process and `others`, the neighbours.
const cores = (c: Record<string, number | null>): string =>
  Object.entries(c).filter(([name]) => name !== 'machine').map(([name, v]) => `${name} ${n(v, 2)}`).join(' · ')

/** renderTable is the markdown report. */
export function renderTable (r: BenchResult): string {
  const { max, half } = r
  const rows: Array<[string, string]> = [
    ['raw QuestDB client (1 Sender, ILP/HTTP, 75k-row flushes), before / after', rawRates(r.raw)],
    [`server sustained, max rate (${n(max.load.measuredS)} s measured)`, `${n(max.load.sustained)} readings/s`],
    ['ratio server / raw', n(r.ratio, 2)],
    ['half-rate phase: achieved / target', `${n(half.load.sustained)} / ${n(half.targetRate)} readings/s`],
    ['ingest→alarm-published at half rate, p50 / p99', `${n(half.latency.p50, 1)} / ${n(half.latency.p99, 1)} ms (n=${half.latency.n} of ${half.latency.probes})`],
    ['ingest→alarm-published at max rate, p50 / p99', `${n(max.latency.p50, 1)} / ${n(max.latency.p99, 1)} ms (n=${max.latency.n} of ${max.latency.probes})`],
    ['server histogram ingest→publish, half / max rate, p50 / p99', `${hist(half.server.ingestToPublish)} · ${hist(max.server.ingestToPublish)}`],
    ['server store flush (one QuestDB commit), half / max rate, p50 / p99', `${hist(half.server.storeFlush)} · ${hist(max.server.storeFlush)}`],
    ['POST round trip (send → 200), max / half rate, p99', `${n(max.load.requestMs.p99, 1)} / ${n(half.load.requestMs.p99, 1)} ms`],
    ['server RSS, max over the run', `${n(r.serverRssMaxMb)} MiB`],
    ['503 responses, max / half rate', `${n(max.load.status503)} / ${n(half.load.status503)}`],
    ['errors · rejected readings', `${n(max.load.errors + half.load.errors)} · ${n(max.load.rejected + half.load.rejected)}`],
    ['alarm messages · raised · matched to probes', `${n(r.alarms.messages)} · ${n(r.alarms.raised)} · ${n(r.alarms.matched)}`],
    ['other alarms raised (should be none)', otherAlarms(r.alarms.otherRaised)],
    ['CPU cores, raw phase before / after', `${cores(r.raw.before.cores)} / ${r.raw.after === null ? 'n/a' : cores(r.raw.after.cores)}`],
    ['CPU cores, max-rate phase', cores(max.cores)],
    ['CPU cores, half-rate phase', cores(half.cores)],
    [`machine: ${r.machine.cpus} CPUs, load average (1 min) at start`, n(r.machine.loadAverage1m, 2)]
  ]
  const bars: Array<[string, Bar]> = [['ratio ≥ 0.5', r.bars.ratio], ['p99 < 250 ms at half rate', r.bars.p99HalfRate]]
  return [
    '| measure | value |', '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '', '| bar | measured | result |', '|---|---|---|',
    ...bars.map(([k, b]) => `| ${k} | ${n(b.value, 2)} | ${b.pass ? 'PASS' : 'FAIL'} |`)
  ].join('\n')
}

function rawRates (raw: RawSummary): string {
  const after = raw.after === null ? 'not run' : n(raw.after.rowsPerSecond)
  return `${n(raw.before.rowsPerSecond)} / ${after} rows/s (denominator ${n(raw.rowsPerSecond)})`
}

function hist (s: ServerLatency | undefined): string {
  return s === undefined ? 'n/a (not on /metrics)' : `${n(s.p50, 1)} / ${n(s.p99, 1)} ms (n=${s.count})`
}

function otherAlarms (o: Record<string, number>): string {
  const list = Object.entries(o).map(([k, v]) => `${k} ×${v}`)
  return list.length === 0 ? 'none' : list.join(', ')
}

/** writeResult stores the JSON under dir (gitignored), and each phase's final /metrics beside it; returns the JSON's path. */
export async function writeResult (dir: string, r: BenchResult): Promise<string> {
  await mkdir(dir, { recursive: true })
  const stem = join(dir, `bench-${r.startedAt.replace(/[:.]/g, '-')}`)
  const strip = (p: PhaseResult): PhaseResult => ({ ...p, metricsText: null })
  await writeFile(`${stem}.json`, JSON.stringify({ ...r, max: strip(r.max), half: strip(r.half) }, null, 2) + '\n')
  for (const [label, p] of [['max', r.max], ['half', r.half]] as const) {
    if (p.metricsText !== null) await writeFile(`${stem}.${label}.metrics.txt`, p.metricsText)
  }
  return `${stem}.json`
}
