// Small statistics helpers shared by the generator and the orchestrator.

/** Percentiles summarise a latency sample in milliseconds; null fields when the sample is empty. */
export interface Percentiles { n: number, p50: number | null, p99: number | null, max: number | null }

/** percentiles uses the nearest-rank method: p99 of 400 samples is the 396th smallest, an observed value. */
export function percentiles (samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { n: 0, p50: null, p99: null, max: null }
  const sorted = [...samples].sort((a, b) => a - b)
  return { n: sorted.length, p50: rank(sorted, 0.5), p99: rank(sorted, 0.99), max: sorted[sorted.length - 1] as number }
}

function rank (sorted: number[], q: number): number {
  const i = Math.max(0, Math.ceil(q * sorted.length) - 1)
  return round(sorted[i] as number, 2)
}

/** round keeps `digits` decimals, for tables and JSON that people read. */
export function round (x: number, digits = 0): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** wallNow is the wall clock in fractional ms; comparable across processes on one machine, unlike performance.now(). */
export function wallNow (): number {
  return performance.timeOrigin + performance.now()
}
