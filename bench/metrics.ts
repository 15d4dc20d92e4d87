// The server's own view, from its Prometheus histograms: ingest → publish (arrival of a triggering reading to
// JetStream's ack) and the store's flush time (one QuestDB commit). Two scrapes bracket a phase; their
// difference is that phase's histogram.

/** HISTOGRAMS are the server histograms the report reads, by the name the report gives them. */
export const HISTOGRAMS = {
  ingestToPublish: 'minewatch_ingest_to_publish_seconds',
  storeFlush: 'minewatch_store_flush_seconds'
} as const

type HistogramKey = keyof typeof HISTOGRAMS

/** Histogram is cumulative counts per upper bound (seconds), label sets other than `le` summed. */
export type Histogram = Map<number, number>

/** Scrape is one reading of /metrics: the full text and the histograms found in it. */
export interface Scrape { text: string, histograms: Partial<Record<HistogramKey, Histogram>> }

/** ServerLatency is a phase's histogram reduced to Prometheus-style interpolated quantiles, in ms. */
export interface ServerLatency { count: number, p50: number | null, p99: number | null }

/** scrape reads GET /metrics; null if the endpoint does not answer. */
export async function scrape (url: string, token: string): Promise<Scrape | null> {
  try {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) })
    const text = await res.text()
    if (!res.ok) return null
    const histograms: Scrape['histograms'] = {}
    for (const [key, name] of Object.entries(HISTOGRAMS) as Array<[HistogramKey, string]>) {
      const h = parseHistogram(text, name)
      if (h !== null) histograms[key] = h
    }
    return { text, histograms }
  } catch {
    return null
  }
}

/** parseHistogram extracts the buckets of one histogram from Prometheus text format. */
export function parseHistogram (text: string, name: string): Histogram | null {
  const h: Histogram = new Map()
  const re = new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\S+)`, 'gm')
  for (const m of text.matchAll(re)) {
    const le = m[1] === '+Inf' ? Infinity : Number(m[1])
    h.set(le, (h.get(le) ?? 0) + Number(m[2]))
  }
  return h.size === 0 ? null : h
}

/** phaseHistograms subtracts two scrapes and interpolates p50/p99 of every histogram present after. */
export function phaseHistograms (before: Scrape | null, after: Scrape | null): Partial<Record<HistogramKey, ServerLatency>> {
  const out: Partial<Record<HistogramKey, ServerLatency>> = {}
  for (const key of Object.keys(HISTOGRAMS) as HistogramKey[]) {
    const a = after?.histograms[key]
    if (a !== undefined) out[key] = delta(before?.histograms[key], a)
  }
  return out
}

function delta (before: Histogram | undefined, after: Histogram): ServerLatency {
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
