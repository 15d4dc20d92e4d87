// Builds POST /v1/readings bodies: every point reports in turn with a real-time timestamp, and now and then
// a CO point is driven over its alarm threshold (a "probe") so the orchestrator can time ingest → alarm.
import { sampleValue, type BenchSite } from './fleet.js'

/** Probe is the reading that completes a threshold crossing (dwell included): the alarm's eventAt. */
export interface Probe { site: string, point: string, ts: number }

/** Batch is one request body, ready to send, and the probes it carries. */
export interface Batch { site: string, body: string, count: number, probes: Probe[] }

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

// An episode is one probe on one point: high readings until the dwell is met, then one release reading.
interface Episode { firstHighTs: number, satisfied: boolean }

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
    const items: string[] = new Array(end - start)
    const tsOf = new Float64Array(end - start)
    for (let i = start; i < end; i++) {
      // Strictly increasing per point: a repeated (point, ts) would be deduplicated, not counted as new.
      const ts = Math.max(now, (st.lastTs[i] as number) + 1)
      st.lastTs[i] = ts
      tsOf[i - start] = ts
      items[i - start] = `${st.prefixes[i] as string}${ts},"value":${sampleValue(st.site.points[i]!)},"status":0}`
    }
    const probes = this.applyEpisodes(st, start, end, items, tsOf)
    const body = `{"siteCode":${JSON.stringify(st.site.code)},"readings":[${items.join(',')}]}`
    return { site: st.site.code, body, count: end - start, probes }
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
    st.episodes.set(i, { firstHighTs: Number.NaN, satisfied: false })
    this.nextProbeAt = now + 1000 / this.opts.probeHz
  }

  // Overrides the sampled value of points under probe; returns the readings that satisfy a dwell.
  private applyEpisodes (st: SiteState, start: number, end: number, items: string[], tsOf: Float64Array): Probe[] {
    const probes: Probe[] = []
    for (const [i, ep] of st.episodes) {
      if (i < start || i >= end) continue
      const ts = tsOf[i - start] as number
      let value = this.opts.highValue
      if (ep.satisfied) {
        value = this.opts.releaseValue
        st.episodes.delete(i)
      } else {
        if (Number.isNaN(ep.firstHighTs)) ep.firstHighTs = ts
        if (ts - ep.firstHighTs >= this.opts.dwellMs) {
          ep.satisfied = true
          probes.push({ site: st.site.code, point: st.site.points[i]!.code, ts })
        }
      }
      items[i - start] = `${st.prefixes[i] as string}${ts},"value":${value},"status":0}`
    }
    return probes
  }
}
