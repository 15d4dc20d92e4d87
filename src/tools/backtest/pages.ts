// Reading one table's rows of a range page by page, in event-time order, without OFFSET scans: each
// page starts at the last page's final timestamp and skips the rows of that timestamp already read, so
// a page costs the same at the end of a month as at its start.
import { sqlTimestamp, type Reader } from '../../3-store/types.js'
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
