// Warm start: the engine gets each condition's last level from the alarms (seed), then the recent readings
// from QuestDB are replayed so dwell timers and no-data clocks resume where they were. Readings at or before
// a seeded condition's last change are skipped by the engine, so a replay never raises what was raised.
import { asyncScheduler } from 'rxjs'
import { sqlTimestamp, type Reader } from '../3-store/types.js'
import { walApplied } from '../3-store/wal.js'
import type { ReadingRow } from '../contract/rows.js'
import type { Engine, SeedState } from './engine.js'

const PAGE = 50_000

interface Row { site: string, point: string, value: number, status: number, received_at: number, ts: number }

/** restoreEngine seeds `engine` and replays readings with ts ≥ since; returns the number replayed. */
export async function restoreEngine (engine: Engine, seeds: SeedState[], reader: Reader, since: number): Promise<number> {
  engine.seed(seeds)
  // A reading acknowledged just before a crash is queryable only once QuestDB has applied the readings WAL:
  // replaying before that would lose the dwell and the no-data clock it started. Bounded: after that, replay
  // what is visible. Real time on purpose: this runs before ready, and virtual-time tests move time only after.
  await walApplied(reader, ['readings'], { scheduler: asyncScheduler })
  let replayed = 0
  for (let offset = 0; ; offset += PAGE) {
    const page = await reader.query<Row>(
      `SELECT site, point, value, status, received_at, ts FROM readings WHERE ts >= ${sqlTimestamp(since)} ORDER BY ts LIMIT ${offset}, ${offset + PAGE}`
    )
    const rows: ReadingRow[] = page.map((r) => ({
      site: r.site, point: r.point, ts: r.ts, value: r.value, status: r.status, receivedAt: r.received_at
    }))
    engine.ingest(rows)
    replayed += rows.length
    if (page.length < PAGE) return replayed
  }
}
