// Row encoders for the ILP buffer of the official client. Kept apart from the writer so the hot readings path has
// its own straight-line encoder and generic rows stay declarative. Each value is checked against what its column
// can hold before it is written: a row QuestDB would refuse is refused here (RowRefused names the column), which
// costs no round trip and cannot fail the rows of other requests.
import type { SenderBuffer } from '@questdb/nodejs-client'
import type { ReadingRow } from '../contract/rows.js'
import { MAX_EPOCH_MS } from '../lib/time.js'
import { RowRefused } from './refusal.js'
import type { Row } from './types.js'

/** READINGS_TABLE is the QuestDB table of raw readings (migrations/001). */
export const READINGS_TABLE = 'readings'

/** INT_MAX bounds an INT column; its smallest value, -2^31, is QuestDB's NULL, so the range is symmetric. */
export const INT_MAX = 2_147_483_647

function double (column: string, v: number): number {
  if (!Number.isFinite(v)) throw new RowRefused(column, 'must be a finite number')
  return v
}

function int (column: string, v: number): number {
  if (!Number.isInteger(v) || Math.abs(v) > INT_MAX) throw new RowRefused(column, `must be an integer within ±${INT_MAX} (INT column)`)
  return v
}

function time (column: string, ms: number): number {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_EPOCH_MS) throw new RowRefused(column, 'must be a time between 1970 and 9999')
  return ms
}

// QuestDB refuses a NUL in a symbol; the client escapes every other character the line protocol reserves.
function symbol (column: string, v: string): string {
  if (v.includes('\u0000')) throw new RowRefused(column, 'must not contain NUL (U+0000)')
  return v
}

/** appendReading encodes one reading; the designated timestamp is the event time. */
export function appendReading (buf: SenderBuffer, r: ReadingRow): void {
  buf.table(READINGS_TABLE)
    .symbol('site', symbol('site', r.site))
    .symbol('point', symbol('point', r.point))
    .floatColumn('value', double('value', r.value))
    .intColumn('status', int('status', r.status))
    .timestampColumn('received_at', time('received_at', r.receivedAt), 'ms')
    .at(time('ts', r.ts), 'ms')
}

/**
 * appendRow encodes one generic row of `table`, leaving out null and undefined columns, and numbers that are not
 * finite: a NULL is what QuestDB makes of NaN anyway, and an alarm whose computed value overflowed must still be
 * stored. Values from requests never get here non-finite (their schemas refuse them).
 */
export function appendRow (buf: SenderBuffer, table: string, row: Row): void {
  buf.table(table)
  for (const [name, value] of Object.entries(row.symbols ?? {})) buf.symbol(name, symbol(name, value))
  for (const [name, value] of Object.entries(row.columns)) {
    if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue
    if (typeof value === 'string') buf.stringColumn(name, value)
    else if (typeof value === 'boolean') buf.booleanColumn(name, value)
    else if (row.timestamps?.includes(name) === true) buf.timestampColumn(name, time(name, Math.trunc(value)), 'ms')
    else if (row.ints?.includes(name) === true) buf.intColumn(name, int(name, Math.trunc(value)))
    else buf.floatColumn(name, value)
  }
  buf.at(time('ts', Math.trunc(row.ts)), 'ms')
}
