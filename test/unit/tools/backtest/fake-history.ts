// A HistorySource over arrays (not a test file): pages of a fixed small size, so the replay crosses page
// boundaries, and the ranges it was asked for, so a test sees what would have been queried.
import { inputSite, inputTs, type EngineInput } from '../../../../src/4-evaluate/inputs.js'
import type { ReadingRow } from '../../../../src/contract/rows.js'
import type { HistorySource, Pages, StoredRegistry, TimeRange } from '../../../../src/tools/backtest/index.js'

/** FakeHistory is a HistorySource that records the ranges asked for. */
export interface FakeHistory extends HistorySource { asked: TimeRange[] }

/** pagesOf yields `items` in pages of `size`. */
export async function * pagesOf<T> (items: readonly T[], size: number): Pages<T> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}

/** fakeHistory serves the readings and input streams (each sorted by ts) of a range, `size` items a page. */
export function fakeHistory (registry: StoredRegistry, readings: readonly ReadingRow[], inputs: ReadonlyArray<readonly EngineInput[]>, size = 2): FakeHistory {
  const asked: TimeRange[] = []
  const inRange = (r: TimeRange, ts: number, site: string): boolean => ts >= r.from && ts < r.to && (r.site === undefined || site === r.site)
  return {
    asked,
    registry: async (range) => {
      asked.push(range)
      const mine = (site: string): boolean => range.site === undefined || site === range.site
      return { sites: registry.sites.filter((s) => mine(s.code)), points: registry.points.filter((p) => mine(p.site)), channels: registry.channels.filter((c) => mine(c.site)) }
    },
    streams: (range) => ({
      readings: pagesOf(readings.filter((x) => inRange(range, x.ts, x.site)), size),
      inputs: inputs.map((list) => pagesOf(list.filter((x) => inRange(range, inputTs(x), inputSite(x))), size))
    })
  }
}
