// Merging the stored streams into one event-time line, page by page: only the current page of each
// stream is held, so a month of readings replays in the memory of one page per table.
import { inputTs, type EngineInput } from '../../4-evaluate/inputs.js'
import type { ReadingRow } from '../../contract/rows.js'
import type { HistoryStreams, Instant, Pages } from './types.js'

// A cursor over one paged stream: the current page and the position in it. Only a page boundary awaits;
// within a page everything is synchronous (an await per reading would cost more than evaluating it).
class Cursor<T> {
  private page: readonly T[] = []
  private i = 0
  private done = false
  private readonly it: AsyncIterator<readonly T[]>

  constructor (pages: Pages<T>, private readonly tsOf: (item: T) => number) {
    this.it = pages[Symbol.asyncIterator]()
  }

  /** empty tells whether the current page is used up and the next must be fetched (fill) */
  get empty (): boolean { return this.i >= this.page.length && !this.done }

  /** fill fetches pages until one has an item or the stream ends. */
  async fill (): Promise<void> {
    while (this.empty) {
      const next = await this.it.next()
      if (next.done === true) this.done = true
      else { this.page = next.value; this.i = 0 }
    }
  }

  /** head is the event time of the next item (after fill), or Infinity once the stream is exhausted. */
  head (): number {
    return this.i < this.page.length ? this.tsOf(this.page[this.i] as T) : Infinity
  }

  /** takeAt moves every next item of event time `ts` into `out`, across page boundaries. */
  async takeAt (ts: number, out: T[]): Promise<void> {
    for (;;) {
      while (this.i < this.page.length && this.tsOf(this.page[this.i] as T) === ts) out.push(this.page[this.i++] as T)
      if (!this.empty) return
      await this.fill()
    }
  }

  async close (): Promise<void> {
    if (!this.done) await this.it.return?.()
  }
}

/** mergeInstants yields the streams' items instant by instant, in event-time order. */
export async function * mergeInstants (streams: HistoryStreams): AsyncGenerator<Instant> {
  const readings = new Cursor<ReadingRow>(streams.readings, (r) => r.ts)
  const inputs = streams.inputs.map((s) => new Cursor<EngineInput>(s, inputTs))
  const all: Array<Cursor<ReadingRow> | Cursor<EngineInput>> = [readings, ...inputs]
  try {
    for (;;) {
      let ts = Infinity
      for (const c of all) {
        if (c.empty) await c.fill()
        ts = Math.min(ts, c.head())
      }
      if (ts === Infinity) return
      const instant: Instant = { ts, readings: [], inputs: [] }
      await readings.takeAt(ts, instant.readings)
      for (const c of inputs) await c.takeAt(ts, instant.inputs)
      yield instant
    }
  } finally {
    // a consumer that stops early (an error in the replay) releases the streams' queries
    await Promise.all(all.map(async (c) => await c.close()))
  }
}
