// Row encoders for the ILP buffer of the official client. Kept apart from the writer so the hot
// readings path has its own straight-line encoder and generic rows stay declarative.
import type { SenderBuffer } from '@questdb/nodejs-client'
import type { ReadingRow } from '../ingest/types.js'
import type { Row } from './types.js'

/** READINGS_TABLE is the QuestDB table of raw readings (migrations/001). */
export const READINGS_TABLE = 'readings'

/** appendReading encodes one reading; the designated timestamp is the event time. */
export function appendReading (buf: SenderBuffer, r: ReadingRow): void {
  buf.table(READINGS_TABLE)
    .symbol('site', r.site)
    .symbol('point', r.point)
    .floatColumn('value', r.value)
    .intColumn('status', r.status)
    .timestampColumn('received_at', r.receivedAt, 'ms')
    .at(r.ts, 'ms')
}

/** appendRow encodes one generic row of `table`, skipping null and undefined columns. */
export function appendRow (buf: SenderBuffer, table: string, row: Row): void {
  buf.table(table)
  for (const [name, value] of Object.entries(row.symbols ?? {})) buf.symbol(name, value)
  for (const [name, value] of Object.entries(row.columns)) {
    if (value === null || value === undefined) continue
    if (typeof value === 'string') buf.stringColumn(name, value)
    else if (typeof value === 'boolean') buf.booleanColumn(name, value)
    else if (row.timestamps?.includes(name) === true) buf.timestampColumn(name, Math.trunc(value), 'ms')
    else if (row.ints?.includes(name) === true) buf.intColumn(name, Math.trunc(value))
    else buf.floatColumn(name, value)
  }
  buf.at(Math.trunc(row.ts), 'ms')
}
