// The denominator: the official QuestDB client alone (1 Sender, ILP over HTTP, 75k-row flushes) writing the
// server's row shape into a table shaped like `readings`. Run as its own process by bench/run.ts, or by hand:
// RAW_URL=http://127.0.0.1:9000 node --import tsx bench/raw-questdb.ts
import { pathToFileURL } from 'node:url'
import { Sender } from '@questdb/nodejs-client'
import { buildFleet } from './fleet.js'
import { round } from './stats.js'

/** RawResult is the raw client's rate over the whole run (every flush acknowledged by QuestDB). */
export interface RawResult { t: 'raw', rows: number, seconds: number, rowsPerSecond: number, flushes: number, flushRows: number }

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

/** runRaw writes for durationS seconds and returns rows per second. */
export async function runRaw (httpUrl: string, durationS: number, flushRows: number, points: number, sites: number): Promise<RawResult> {
  await exec(httpUrl, CREATE)
  const rows = buildFleet(points, sites).flatMap((s) => s.points.map((p) => ({ site: s.code, point: p.code, base: p.base })))
  const addr = new URL(httpUrl).host
  const sender = await Sender.fromConfig(`http::addr=${addr};auto_flush=off;protocol_version=2`)
  let written = 0
  let flushes = 0
  let cursor = 0
  let lastTs = 0
  const started = performance.now()
  const deadline = started + durationS * 1000
  try {
    while (performance.now() < deadline) {
      const now = Date.now()
      for (let i = 0; i < flushRows; i++) {
        const r = rows[cursor] as typeof rows[number]
        // One timestamp per pass over the fleet, strictly increasing, so no row is a duplicate of another.
        if (cursor === 0) lastTs = Math.max(now, lastTs + 1)
        cursor = (cursor + 1) % rows.length
        sender.table(TABLE).symbol('site', r.site).symbol('point', r.point)
          .floatColumn('value', Math.round((r.base + Math.random() - 0.5) * 100) / 100)
          .intColumn('status', 0).timestampColumn('received_at', now, 'ms').at(lastTs, 'ms')
      }
      await sender.flush()
      written += flushRows
      flushes++
    }
  } finally {
    await sender.close()
  }
  const seconds = (performance.now() - started) / 1000
  return { t: 'raw', rows: written, seconds: round(seconds, 2), rowsPerSecond: round(written / seconds), flushes, flushRows }
}

async function main (): Promise<void> {
  const env = process.env
  const url = env.RAW_URL
  if (url === undefined) throw new Error('RAW_URL (QuestDB HTTP address) is required')
  const result = await runRaw(url, Number(env.RAW_DURATION_S ?? 10), Number(env.RAW_FLUSH_ROWS ?? 75_000),
    Number(env.RAW_POINTS ?? 10_000), Number(env.RAW_SITES ?? 20))
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
