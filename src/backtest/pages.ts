// Reading one table's rows of a range page by page, in event-time order, without OFFSET scans: each
// page starts at the last page's final timestamp and skips the rows of that timestamp already read, so
// a page costs the same at the end of a month as at its start.
import { setTimeout as sleep } from 'node:timers/promises'
import { sqlTimestamp, type Reader } from '../store/types.js'
import type { TimeRange } from './types.js'

/** PAGE_ROWS is the default page size: the rows of one table held at once. */
export const PAGE_ROWS = 50_000

/**
 * pagedRows yields the rows of `SELECT <columns> FROM <table>` in the range (and site), ordered by ts.
 * `columns` must include ts (epoch ms as the store's Reader returns it); `where` is an extra condition.
 */
export async function * pagedRows<R extends { ts: number }> (reader: Reader, table: string, columns: string, range: TimeRange, pageRows = PAGE_ROWS, where = ''): AsyncGenerator<R[]> {
  const params: unknown[] = range.site === undefined ? [] : [range.site]
  const filter = `ts < ${sqlTimestamp(range.to)}${range.site === undefined ? '' : ' AND site = $1'}${where === '' ? '' : ` AND ${where}`}`
  let cursor = range.from
  let skip = 0
  for (;;) {
    const page = await reader.query<R>(
      `SELECT ${columns} FROM ${table} WHERE ts >= ${sqlTimestamp(cursor)} AND ${filter} ORDER BY ts LIMIT ${skip}, ${skip + pageRows}`, params)
    if (page.length > 0) yield page
    if (page.length < pageRows) return
    const last = (page[page.length - 1] as R).ts
    let tail = 0
    for (let i = page.length - 1; i >= 0 && (page[i] as R).ts === last; i--) tail++
    // a page all of one timestamp moves the skip on, not the cursor
    skip = last === cursor ? skip + page.length : tail
    cursor = last
  }
}

/**
 * tablesApplied waits (bounded) until QuestDB has applied the WAL of `tables`: rows acknowledged just
 * before the backtest started are queryable only 10-70 ms later. After the bound, what is visible is read.
 */
export async function tablesApplied (reader: Reader, tables: readonly string[], attempts = 50, intervalMs = 100): Promise<boolean> {
  const sql = `SELECT writerTxn, sequencerTxn FROM wal_tables() WHERE name IN (${tables.map((n) => `'${n}'`).join(', ')})`
  for (let i = 0; i < attempts; i++) {
    const rows = await reader.query<{ writerTxn: unknown, sequencerTxn: unknown }>(sql)
    if (rows.every((r) => Number(r.writerTxn) >= Number(r.sequencerTxn))) return true
    await sleep(intervalMs)
  }
  return false
}
