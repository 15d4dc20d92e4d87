// DQ-8 5-minute statistics: read from the readings_5m materialized view (migrations/005), which QuestDB
// keeps up to date itself, so a request never aggregates raw readings.
import { sqlTimestamp, type Reader } from '../3-store/types.js'
import { MAX_EPOCH_MS } from '../lib/time.js'

/** STATS_INTERVAL_S is the bucket length of readings_5m. */
export const STATS_INTERVAL_S = 300

/** StatsRow is one 5-minute bucket of one point. */
export interface StatsRow { ts: number, min: number, max: number, mean: number, count: number }

interface ViewRow { ts: number, value_min: number, value_max: number, value_mean: number, samples: string | number }

/** queryStats returns the buckets of one point whose start lies within [from, to], oldest first. */
export async function queryStats (
  reader: Reader, site: string, point: string, from: number, to: number, limit: number
): Promise<StatsRow[]> {
  const rows = await reader.query<ViewRow>(
    `SELECT ts, value_min, value_max, value_mean, samples FROM readings_5m
     WHERE site = $1 AND point = $2 AND ts >= ${sqlTimestamp(from)} AND ts <= ${sqlTimestamp(Math.min(to, MAX_EPOCH_MS))}
     ORDER BY ts LIMIT ${Math.trunc(limit)}`,
    [site, point]
  )
  // count() is a LONG, which the PG wire driver hands over as a string
  return rows.map((r) => ({ ts: r.ts, min: r.value_min, max: r.value_max, mean: r.value_mean, count: Number(r.samples) }))
}
