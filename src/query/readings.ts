// Reading queries over PG wire: one point's stored readings in time order.
import { sqlTimestamp, type Reader } from '../3-store/types.js'
import { MAX_EPOCH_MS } from '../lib/time.js'

/** StoredReading is one stored reading as read back. */
export interface StoredReading { ts: number, value: number, status: number }

/** queryReadings returns the stored readings of one point within [from, to], oldest first. */
export async function queryReadings (
  reader: Reader, site: string, point: string, from: number, to: number, limit: number
): Promise<StoredReading[]> {
  return await reader.query<StoredReading>(
    `SELECT ts, value, status FROM readings
     WHERE site = $1 AND point = $2 AND ts >= ${sqlTimestamp(from)} AND ts <= ${sqlTimestamp(Math.min(to, MAX_EPOCH_MS))}
     ORDER BY ts LIMIT ${Math.trunc(limit)}`,
    [site, point]
  )
}
