// The storage seams: how the rest of the server writes to and reads from QuestDB.
import type { ReadingRow } from '../ingest/types.js'

/** ColumnValue is what a generic row may carry; null columns are left out of the ILP line. */
export type ColumnValue = number | string | boolean | null | undefined

/**
 * Row is one generic row for a table written over ILP: `symbols` go to SYMBOL columns, `columns` to the
 * others (numbers as DOUBLE unless listed in `ints`, `timestamps` as TIMESTAMP in epoch ms), `ts` is the
 * designated timestamp in epoch ms.
 */
export interface Row {
  symbols?: Record<string, string>
  columns: Record<string, ColumnValue>
  ints?: readonly string[]
  timestamps?: readonly string[]
  ts: number
}

/**
 * Writer appends rows through the group-commit ILP writer. Each promise resolves only after QuestDB has
 * acknowledged the HTTP request that carried the rows (durable), and rejects with StorageUnavailable
 * (503) when it could not be written: the caller must then treat nothing as stored.
 */
export interface Writer {
  writeReadings: (rows: readonly ReadingRow[]) => Promise<void>
  writeRows: (table: string, rows: readonly Row[]) => Promise<void>
}

/** Reader runs parameterised SQL over PG wire ($1, $2 …). TIMESTAMP columns come back as epoch milliseconds (numbers, UTC); pass timestamps as parameters as ISO strings or Date objects. */
export interface Reader {
  query: <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => Promise<T[]>
}

/** sqlTimestamp renders epoch ms as a QuestDB timestamp literal. Safe to inline: it is built from a number. */
export function sqlTimestamp (ms: number): string {
  return `'${new Date(Math.trunc(ms)).toISOString()}'`
}
