// Builds POST /v1/readings bodies: every point reports in turn with a real-time timestamp, and now and then
// a CO point is driven over its alarm threshold (a "probe") so the orchestrator can time ingest → alarm.
import { sampleValue, type BenchSite } from './fleet.js'

/** Probe is the reading that completes a threshold crossing (dwell included): the alarm's eventAt. */
export interface Probe { site: string, point: string, ts: number }

/** Batch is one request body, ready to send, the probes it carries, and its probe-point readings. */
export interface Batch { site: string, body: string, count: number, probes: Probe[], episodes: Episode[] }

/** BatchOptions say how big a batch is and how probes behave (see bench/README.md). */
export interface BatchOptions {
  batchSize: number
  /** the CO rule's dwell (`for`): the probe point stays high until a reading this much later than the first */
  dwellMs: number
  /** at most this many new probes per second; 0 disables them */
  probeHz: number
  highValue: number
  releaseValue: number
}

/** Episode is one probe on one point: high readings until the dwell is met, then one release reading. */
export interface Episode { firstHighTs: number, satisfied: boolean, inFlight: boolean }

interface SiteState { site: BenchSite, prefixes: string[], lastTs: Float64Array, coIndexes: number[], episodes: Map<number, Episode> }

/** BatchMaker walks the fleet site by site, batchSize points at a time, forever. */
export class BatchMaker {
  private readonly sites: SiteState[]
  private siteIdx = 0
  private pointIdx = 0
  private nextProbeAt = 0
  private probeCounter = 0

  constructor (fleet: BenchSite[], private readonly opts: BatchOptions) {
    this.sites = fleet.map((site) => ({
      site,
      // The constant part of each item is built once: the generator must cost far less CPU than the server.
      prefixes: site.points.map((p) => `{"point":${JSON.stringify(p.code)},"ts":`),
      lastTs: new Float64Array(site.points.length),
      coIndexes: site.points.flatMap((p, i) => (p.quantity === 'co' ? [i] : [])),
      episodes: new Map()
    }))
  }

  /** next builds the following batch with timestamps at `now` (epoch ms). */
  next (now: number): Batch {
    const st = this.sites[this.siteIdx] as SiteState
    const start = this.pointIdx
    const end = Math.min(start + this.opts.batchSize, st.site.points.length)
    this.advance(end, st)
    this.maybeStartProbe(st, start, end, now)
    const items: string[] = []
    const probes: Probe[] = []
    const episodes: Episode[] = []
    for (let i = start; i < end; i++) {
      const ep = st.episodes.get(i)
      // Many requests are in flight and may be answered in any order. A probe point says nothing more until
      // its last reading is stored, so the engine sees probe and release in order, as from a real sensor.
      if (ep?.inFlight === true) continue
      // Strictly increasing per point: a repeated (point, ts) would be deduplicated, not counted as new.
      const ts = Math.max(now, (st.lastTs[i] as number) + 1)
      st.lastTs[i] = ts
      let value = sampleValue(st.site.points[i]!)
      if (ep !== undefined) {
        value = this.episodeValue(st, i, ep, ts, probes)
        episodes.push(ep)
      }
      items.push(`${st.prefixes[i] as string}${ts},"value":${value},"status":0}`)
    }
    const body = `{"siteCode":${JSON.stringify(st.site.code)},"readings":[${items.join(',')}]}`
    return { site: st.site.code, body, count: items.length, probes, episodes }
  }

  /** settled tells that a batch was answered (or given up): its probe points may report again. */
  settled (batch: Batch): void {
    for (const ep of batch.episodes) ep.inFlight = false
  }

  private advance (end: number, st: SiteState): void {
    this.pointIdx = end
    if (end < st.site.points.length) return
    this.pointIdx = 0
    this.siteIdx = (this.siteIdx + 1) % this.sites.length
  }

  private maybeStartProbe (st: SiteState, start: number, end: number, now: number): void {
    if (this.opts.probeHz <= 0 || now < this.nextProbeAt) return
    const candidates = st.coIndexes.filter((i) => i >= start && i < end && !st.episodes.has(i))
    if (candidates.length === 0) return
    // Rotate through the CO points so one point's alarm has long been cleared before it is probed again.
    const i = candidates[this.probeCounter++ % candidates.length] as number
    st.episodes.set(i, { firstHighTs: Number.NaN, satisfied: false, inFlight: false })
    this.nextProbeAt = now + 1000 / this.opts.probeHz
  }

  // High until the dwell is met (that reading is the probe), then one release reading ends the episode.
  private episodeValue (st: SiteState, i: number, ep: Episode, ts: number, probes: Probe[]): number {
    ep.inFlight = true
    if (ep.satisfied) {
      st.episodes.delete(i)
      return this.opts.releaseValue
    }
    if (Number.isNaN(ep.firstHighTs)) ep.firstHighTs = ts
    if (ts - ep.firstHighTs >= this.opts.dwellMs) {
      ep.satisfied = true
      probes.push({ site: st.site.code, point: st.site.points[i]!.code, ts })
    }
    return this.opts.highValue
  }
}
