// The denominator: the official QuestDB client alone (1 Sender, ILP over HTTP, 75k-row flushes) writing the
// server's row shape into a table shaped like `readings`. Run as its own process by bench/run.ts, or by hand:
// RAW_URL=http://127.0.0.1:9000 node --import tsx bench/raw-questdb.ts
import { pathToFileURL } from 'node:url'
import { Sender } from '@questdb/nodejs-client'
import { buildFleet } from './fleet.js'
import { round } from './stats.js'

/** RawResult is the raw client's rate over the whole run (every flush acknowledged by QuestDB). */
export interface RawResult {
  t: 'raw'
  rows: number
  seconds: number
  rowsPerSecond: number
  flushes: number
  flushRows: number
  /** time spent building rows vs waiting for QuestDB's answer to a flush */
  buildS: number
  flushS: number
  /** this process's CPU use in cores (1.0 = one core busy all the time) */
  cpuCores: number
}

const TABLE = 'bench_raw'

// Same columns, partitioning, WAL and deduplication as `readings` (migrations/001): QuestDB does the same work.
const CREATE = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  site SYMBOL CAPACITY 1024 CACHE, point SYMBOL CAPACITY 65536 CACHE, value DOUBLE, status INT,
  received_at TIMESTAMP, ts TIMESTAMP
) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, site, point)`

async function exec (httpUrl: string, sql: string): Promise<void> {
  const res = await fetch(`${httpUrl}/exec?query=${encodeURIComponent(sql)}`)
  const text = await res.text()
  if (!res.ok) throw new Error(`QuestDB refused "${sql.slice(0, 40)}…": ${res.status} ${text}`)
}

/** RawOptions: where to write, for how long (after an uncounted warm-up), and the fleet's size. */
export interface RawOptions { httpUrl: string, durationS: number, warmupS: number, flushRows: number, points: number, sites: number }

type RawRow = { site: string, point: string, base: number }

/** runRaw writes for warmupS + durationS seconds and returns the rate over the last durationS. */
export async function runRaw (o: RawOptions): Promise<RawResult> {
  await exec(o.httpUrl, CREATE)
  const rows: RawRow[] = buildFleet(o.points, o.sites).flatMap((s) => s.points.map((p) => ({ site: s.code, point: p.code, base: p.base })))
  const sender = await Sender.fromConfig(`http::addr=${new URL(o.httpUrl).host};auto_flush=off;protocol_version=2`)
  const state = { cursor: 0, lastTs: 0 }
  const m = { rows: 0, flushes: 0, buildMs: 0 }
  // The server is measured after a warm-up; so is its denominator (JIT, first commits, table files).
  const warmEnd = performance.now() + o.warmupS * 1000
  let started = performance.now()
  let cpu = process.cpuUsage()
  try {
    while (performance.now() < warmEnd) await flushOnce(sender, rows, o.flushRows, state)
    started = performance.now()
    cpu = process.cpuUsage()
    const deadline = started + o.durationS * 1000
    while (performance.now() < deadline) {
      m.buildMs += await flushOnce(sender, rows, o.flushRows, state)
      m.rows += o.flushRows
      m.flushes++
    }
  } finally {
    await sender.close()
  }
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  return {
    t: 'raw',
    rows: m.rows,
    seconds: round(seconds, 2),
    rowsPerSecond: round(m.rows / seconds),
    flushes: m.flushes,
    flushRows: o.flushRows,
    buildS: round(m.buildMs / 1000, 2),
    flushS: round(seconds - m.buildMs / 1000, 2),
    cpuCores: round((used.user + used.system) / 1e6 / seconds, 2)
  }
}

// Builds n rows, flushes them, and returns the building time in ms (the rest is waiting for QuestDB).
async function flushOnce (sender: Sender, rows: RawRow[], n: number, st: { cursor: number, lastTs: number }): Promise<number> {
  const t = performance.now()
  const now = Date.now()
  for (let i = 0; i < n; i++) {
    const r = rows[st.cursor] as RawRow
    // One timestamp per pass over the fleet, strictly increasing, so no row is a duplicate of another.
    if (st.cursor === 0) st.lastTs = Math.max(now, st.lastTs + 1)
    st.cursor = (st.cursor + 1) % rows.length
    sender.table(TABLE).symbol('site', r.site).symbol('point', r.point)
      .floatColumn('value', Math.round((r.base + Math.random() - 0.5) * 100) / 100)
      .intColumn('status', 0).timestampColumn('received_at', now, 'ms').at(st.lastTs, 'ms')
  }
  const built = performance.now() - t
  await sender.flush()
  return built
}

async function main (): Promise<void> {
  const env = process.env
  const url = env.RAW_URL
  if (url === undefined) throw new Error('RAW_URL (QuestDB HTTP address) is required')
  const result = await runRaw({
    httpUrl: url,
    durationS: Number(env.RAW_DURATION_S ?? 10),
    warmupS: Number(env.RAW_WARMUP_S ?? 2),
    flushRows: Number(env.RAW_FLUSH_ROWS ?? 75_000),
    points: Number(env.RAW_POINTS ?? 10_000),
    sites: Number(env.RAW_SITES ?? 20)
  })
  if (process.send !== undefined) process.send(result)
  else console.log(JSON.stringify(result))
}

// Only as a process of its own: importing this module (for its types) must not start a run.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error('raw QuestDB client failed:', err)
    process.exitCode = 1
  })
}
