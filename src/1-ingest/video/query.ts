// Video event queries over PG wire: one site's stored AI recognition results in time order.
import { sqlTimestamp, type Reader } from '../../3-store/types.js'
import { MAX_EPOCH_MS } from '../../lib/time.js'
import { EVENTS_TABLE } from './rows.js'

/** StoredEvent is one stored event as read back (absent fields are null). */
export interface StoredEvent {
  channel: string
  type: string
  confidence: number | null
  count: number | null
  evidence_sha256: string | null
  evidence_url: string | null
  received_at: number
  ts: number
}

/** queryEvents returns the stored events of `site` within [from, to], oldest first. */
export async function queryEvents (reader: Reader, site: string, from: number, to: number, limit: number): Promise<StoredEvent[]> {
  return await reader.query<StoredEvent>(
    `SELECT channel, "type", confidence, "count", evidence_sha256, evidence_url, received_at, ts FROM ${EVENTS_TABLE}
     WHERE site = $1 AND ts >= ${sqlTimestamp(from)} AND ts <= ${sqlTimestamp(Math.min(to, MAX_EPOCH_MS))}
     ORDER BY ts, channel, "type" LIMIT ${Math.trunc(limit)}`,
    [site]
  )
}
