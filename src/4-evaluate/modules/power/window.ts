// Fixed time windows of a site's power readings (default 15 min, PW-1: the site's state is refreshed at
// least every 15 min). Means over a window, not single readings: a hoist's draw swings by a third of its
// rating from one minute to the next, so single readings would make any dwell flap.
// Windows are aligned to the epoch, so 15-min windows start at :00, :15, :30, :45 in Beijing time too.

/** ClosedWindow is one finished window: the mean of each point's readings in [start, end). */
export interface ClosedWindow {
  start: number
  end: number
  means: ReadonlyMap<string, number>
}

/** Windows accumulates one site's readings in event time and hands back each window once it is over. */
export class Windows {
  private start = -Infinity
  private sums = new Map<string, { sum: number, n: number }>()

  constructor (readonly sizeMs: number) {
    if (!(sizeMs > 0)) throw new Error(`window size must be positive, got ${sizeMs}`)
  }

  /**
   * add counts one reading; it returns the previous window when this reading is the first after its end.
   * A reading older than the open window is dropped: that window was judged already.
   */
  add (point: string, ts: number, value: number): ClosedWindow | null {
    const start = Math.floor(ts / this.sizeMs) * this.sizeMs
    if (start < this.start) return null
    let closed: ClosedWindow | null = null
    if (start > this.start) {
      if (this.sums.size > 0) closed = this.close()
      this.start = start
      this.sums = new Map()
    }
    const s = this.sums.get(point)
    if (s === undefined) this.sums.set(point, { sum: value, n: 1 })
    else { s.sum += value; s.n++ }
    return closed
  }

  private close (): ClosedWindow {
    const means = new Map<string, number>()
    for (const [point, { sum, n }] of this.sums) means.set(point, sum / n)
    return { start: this.start, end: this.start + this.sizeMs, means }
  }
}
