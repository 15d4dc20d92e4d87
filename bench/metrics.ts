// The server's own view of latency: the Prometheus histogram minewatch_ingest_to_publish_seconds, from
// the arrival of a triggering reading to JetStream's acknowledgement of the alarm. Two scrapes bracket a
// phase; their difference is that phase's histogram.

const NAME = 'minewatch_ingest_to_publish_seconds'

/** Histogram is cumulative counts per upper bound (seconds), label sets other than `le` summed. */
export type Histogram = Map<number, number>

/** ServerLatency is a phase's histogram reduced to Prometheus-style interpolated quantiles, in ms. */
export interface ServerLatency { count: number, p50: number | null, p99: number | null }

/** scrapeHistogram reads the histogram from GET /metrics; null if the endpoint or the metric is missing. */
export async function scrapeHistogram (url: string, token: string): Promise<Histogram | null> {
  try {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) })
    if (!res.ok) return null
    return parseHistogram(await res.text())
  } catch {
    return null
  }
}

/** parseHistogram extracts the buckets of NAME from Prometheus text format. */
export function parseHistogram (text: string): Histogram | null {
  const h: Histogram = new Map()
  const re = new RegExp(`^${NAME}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\S+)`, 'gm')
  for (const m of text.matchAll(re)) {
    const le = m[1] === '+Inf' ? Infinity : Number(m[1])
    h.set(le, (h.get(le) ?? 0) + Number(m[2]))
  }
  return h.size === 0 ? null : h
}

/** phaseLatency subtracts two scrapes and interpolates p50/p99 inside their buckets. */
export function phaseLatency (before: Histogram | null, after: Histogram | null): ServerLatency | null {
  if (after === null) return null
  const bounds = [...after.keys()].sort((a, b) => a - b)
  const cum = bounds.map((le) => (after.get(le) ?? 0) - (before?.get(le) ?? 0))
  const count = cum[cum.length - 1] ?? 0
  return { count, p50: quantile(bounds, cum, 0.5), p99: quantile(bounds, cum, 0.99) }
}

function quantile (bounds: number[], cum: number[], q: number): number | null {
  const count = cum[cum.length - 1] ?? 0
  if (count === 0) return null
  const rank = q * count
  const i = cum.findIndex((c) => c >= rank)
  const upper = bounds[i] as number
  const lower = i === 0 ? 0 : bounds[i - 1] as number
  // Beyond the last finite bucket there is nothing to interpolate: report its bound, as Prometheus does.
  if (upper === Infinity) return Math.round(lower * 1000)
  const below = i === 0 ? 0 : cum[i - 1] as number
  const inBucket = (cum[i] as number) - below
  const frac = inBucket === 0 ? 1 : (rank - below) / inBucket
  return Math.round((lower + (upper - lower) * frac) * 100_000) / 100
}
