// The storage seams: how the rest of the server writes to and reads from QuestDB.
import type { ReadingRow } from '../contract/rows.js'
import type { Mode } from './part.js'

export type { Mode }

/** Refusal names a row storage will not take: its index in the write call, the column at fault, and why. */
export interface Refusal { row: number, column?: string, message: string }

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
 * acknowledged the HTTP request that carried the rows (durable), with the rows storage refused (a value its column
 * cannot hold: they are not stored and never will be). It rejects with StorageUnavailable (503) when it could not
 * write: the caller must then treat nothing as stored and may resend; and with StorageRefused (422, `refusals`
 * attached) when an atomic call ('all', the default of writeRows) had a refused row, so nothing of it is stored.
 * Readings are written 'each': a refused reading fails alone.
 */
export interface Writer {
  writeReadings: (rows: readonly ReadingRow[]) => Promise<Refusal[]>
  writeRows: (table: string, rows: readonly Row[], mode?: Mode) => Promise<Refusal[]>
}

/** Reader runs parameterised SQL over PG wire ($1, $2 …). TIMESTAMP columns come back as epoch milliseconds (numbers, UTC); pass timestamps as parameters as ISO strings or Date objects. */
export interface Reader {
  query: <T = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => Promise<T[]>
}

/** sqlTimestamp renders epoch ms as a QuestDB timestamp literal. Safe to inline: it is built from a number. */
export function sqlTimestamp (ms: number): string {
  return `'${new Date(Math.trunc(ms)).toISOString()}'`
}
