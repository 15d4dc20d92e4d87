// backtest - paging a table by event time: each page starts at the last page's final timestamp and skips
// the rows of it already read, so rows sharing a timestamp across a page boundary are read exactly once.
import t from 'tap'
import { pagedRows } from '../../../../src/tools/backtest/pages.js'
import type { Reader } from '../../../../src/3-store/types.js'

interface Row { ts: number, n: number }

// A Reader over rows held in memory that understands just the paging query: ts >= 'iso' … LIMIT lo, hi.
function tableReader (rows: Row[]): Reader & { sql: string[] } {
  const sql: string[] = []
  return {
    sql,
    async query<T> (text: string, params: readonly unknown[] = []): Promise<T[]> {
      sql.push(params.length === 0 ? text : `${text} ${JSON.stringify(params)}`)
      const m = /ts >= '([^']+)' AND ts < '([^']+)'.* LIMIT (\d+), (\d+)$/.exec(text)
      if (m === null) throw new Error(`unexpected SQL ${text}`)
      const from = Date.parse(m[1] as string)
      const to = Date.parse(m[2] as string)
      return rows.filter((r) => r.ts >= from && r.ts < to).slice(Number(m[3]), Number(m[4])) as T[]
    }
  }
}

async function read (rows: Row[], pageRows: number, range = { from: 0, to: 1000 }): Promise<{ pages: number[][], sql: string[] }> {
  const reader = tableReader(rows)
  const pages: number[][] = []
  for await (const page of pagedRows<Row>(reader, 'readings', 'n, ts', range, pageRows)) pages.push(page.map((r) => r.n))
  return { pages, sql: reader.sql }
}

t.test('backtest - pages cross equal timestamps without losing or repeating a row', async (t) => {
  // ts: 10 10 10 20 20 20 20 20 30 (n numbers the rows)
  const rows = [10, 10, 10, 20, 20, 20, 20, 20, 30].map((ts, n) => ({ ts, n }))
  const { pages, sql } = await read(rows, 2)
  t.same(pages, [[0, 1], [2, 3], [4, 5], [6, 7], [8]], 'every row once, in order')
  t.same(sql.map((s) => /ts >= '1970-01-01T00:00:00\.(\d+)Z'.* LIMIT (\d+), (\d+)$/.exec(s)?.slice(1)), [
    ['000', '0', '2'], ['010', '2', '4'], ['020', '1', '3'], ['020', '3', '5'], ['020', '5', '7']
  ], 'the cursor moves to the last timestamp; a page all of one timestamp moves the skip on')
  t.match(sql[0], /^SELECT n, ts FROM readings WHERE ts >= .* AND ts < '1970-01-01T00:00:01\.000Z' ORDER BY ts LIMIT 0, 2$/)
})

t.test('backtest - a site range filters by a parameter, and a short page ends the stream', async (t) => {
  const reader = tableReader([{ ts: 5, n: 0 }])
  const pages: Row[][] = []
  for await (const page of pagedRows<Row>(reader, 'readings', 'n, ts', { from: 0, to: 100, site: 'SG-XS' }, 10)) pages.push(page)
  t.same(pages, [[{ ts: 5, n: 0 }]])
  t.equal(reader.sql.length, 1, 'one query')
  t.match(reader.sql[0], /AND site = \$1 ORDER BY ts LIMIT 0, 10 \["SG-XS"\]$/)
  t.same((await read([], 10)).pages, [], 'an empty range yields no page')
})
