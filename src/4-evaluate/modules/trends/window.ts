// A sliding event-time window of (ts, value) samples in a fixed-size ring: memory stays bounded however
// fast a point reports, and sliding costs O(1) per sample (old samples fall off the front).
import { durationMsOf } from '../shared/schema.js'
import { LineFit, type LineResult } from './fit.js'

/** SampleWindow keeps the samples of the last `spanMs` (at most `capacity` of them, newest kept). */
export class SampleWindow {
  private readonly ts: Float64Array
  private readonly vs: Float64Array
  private head = 0
  private size = 0

  constructor (readonly spanMs: number, readonly capacity: number) {
    this.ts = new Float64Array(capacity)
    this.vs = new Float64Array(capacity)
  }

  get length (): number { return this.size }

  /** push adds a sample (ts after every sample held) and drops those older than ts − spanMs */
  push (ts: number, value: number): void {
    if (this.size === this.capacity) this.dropFirst()
    const i = (this.head + this.size) % this.capacity
    this.ts[i] = ts
    this.vs[i] = value
    this.size++
    const from = ts - this.spanMs
    while (this.size > 0 && (this.ts[this.head] as number) < from) this.dropFirst()
  }

  /** at returns the i-th sample, oldest first */
  at (i: number): { ts: number, value: number } {
    const k = (this.head + i) % this.capacity
    return { ts: this.ts[k] as number, value: this.vs[k] as number }
  }

  /**
   * ready tells whether the window can be judged: at least `minSamples` samples spanning at least half of
   * spanMs. A line through the first two or three readings after a start or a gap is mostly noise.
   */
  ready (minSamples: number): boolean {
    return this.size >= minSamples && this.last() - this.first() >= this.spanMs / 2
  }

  first (): number { return this.ts[this.head] as number }
  last (): number { return this.ts[(this.head + this.size - 1) % this.capacity] as number }
  lastValue (): number { return this.vs[(this.head + this.size - 1) % this.capacity] as number }

  /**
   * fit fits value against time over the samples with from ≤ ts < to; x is in units of `unitMs` counted
   * from the newest sample (so x ≤ 0 and the intercept is the fitted value now).
   */
  fit (unitMs: number, from = -Infinity, to = Infinity): LineResult | null {
    const f = new LineFit()
    const origin = this.last()
    for (let j = 0; j < this.size; j++) {
      const k = (this.head + j) % this.capacity
      const t = this.ts[k] as number
      if (t >= from && t < to) f.add((t - origin) / unitMs, this.vs[k] as number)
    }
    return f.result()
  }

  clear (): void {
    this.head = 0
    this.size = 0
  }

  private dropFirst (): void {
    this.head = (this.head + 1) % this.capacity
    this.size--
  }
}

/** windowCapacity bounds a window of `spanMs` for a point reporting every `intervalS`: 4× its nominal count. */
export function windowCapacity (spanMs: number, intervalS: number): number {
  return Math.max(8, Math.ceil(spanMs / (Math.max(1, intervalS) * 1000)) * 4 + 4)
}

/** DEFAULT_MIN_SAMPLES is how many samples a window needs before it is judged, unless the rule says. */
export const DEFAULT_MIN_SAMPLES = 3

/** RuleWindow is a rule's sliding window over one point: push each sample, then ask for the line if judged. */
export interface RuleWindow {
  /** push adds a sample and tells whether the window now holds enough to be judged */
  push: (ts: number, value: number) => boolean
  /** fit is the least-squares line over the window, its slope per `unitMs` */
  fit: (unitMs: number) => LineResult | null
  /**
   * parts fits each of `n` equal parts of the whole span ending at the newest sample, oldest first (null
   * for a part with fewer than 3 samples): whether a trend held all along, not just on average
   */
  parts: (unitMs: number, n: number) => Array<LineResult | null>
}

/** ruleWindow makes the window of `window` (a duration) for a point reporting every `intervalS`. */
export function ruleWindow (window: string, minSamples: number | undefined, intervalS: number): RuleWindow {
  const spanMs = durationMsOf(window)
  const min = minSamples ?? DEFAULT_MIN_SAMPLES
  const w = new SampleWindow(spanMs, windowCapacity(spanMs, intervalS))
  return {
    push (ts, value) {
      w.push(ts, value)
      return w.ready(min)
    },
    fit: (unitMs) => w.fit(unitMs),
    parts (unitMs, n) {
      const len = spanMs / n
      const start = w.last() - spanMs
      return Array.from({ length: n }, (_, i) => {
        const f = w.fit(unitMs, start + i * len, i === n - 1 ? Infinity : start + (i + 1) * len)
        return f === null || f.n < 3 ? null : f
      })
    }
  }
}
