// The in-memory registry: what ingest and the engine consult on the hot path. Changes are applied here
// only after QuestDB acknowledged them, so memory never runs ahead of what a restart would load.
import type { SiteStatus } from '../contract/index.js'
import type { Point, RegistryView, Site, StatusChange } from './types.js'

/** MemoryRegistry holds sites and points and answers RegistryView queries. */
export class MemoryRegistry implements RegistryView {
  private readonly siteMap = new Map<string, Site>()
  private readonly pointMap = new Map<string, Map<string, Point>>()
  private ver = 0

  constructor (sites: Site[] = [], points: Point[] = []) {
    for (const s of sites) this.siteMap.set(s.code, s)
    for (const p of points) this.pointsMap(p.site).set(p.code, p)
  }

  site (code: string): Site | undefined { return this.siteMap.get(code) }
  sites (): Site[] { return [...this.siteMap.values()] }
  point (site: string, code: string): Point | undefined { return this.pointMap.get(site)?.get(code) }
  pointsOf (site: string): Point[] { return [...(this.pointMap.get(site)?.values() ?? [])] }
  version (): number { return this.ver }

  statusAt (site: string, ts: number): SiteStatus | undefined {
    const s = this.siteMap.get(site)
    if (s === undefined) return undefined
    let status: SiteStatus | undefined
    for (const change of s.timeline) {
      if (change.since > ts) break
      status = change.status
    }
    // Before the first recorded change the earliest known status is the best answer we have.
    return status ?? s.timeline[0]?.status ?? s.status
  }

  /** putSite stores a new version of a site, keeping its timeline. */
  putSite (site: Site): void {
    this.siteMap.set(site.code, site)
    this.ver++
  }

  /** addStatus inserts a status change into the site's timeline, in time order. */
  addStatus (code: string, change: StatusChange): void {
    const s = this.siteMap.get(code)
    if (s === undefined) return
    const timeline = s.timeline.filter((c) => c.since !== change.since)
    timeline.push(change)
    timeline.sort((a, b) => a.since - b.since)
    this.siteMap.set(code, { ...s, timeline, status: timeline.at(-1)?.status ?? s.status })
    this.ver++
  }

  /** replacePoints makes `points` the complete set of definitions of `site`. */
  replacePoints (site: string, points: Point[]): void {
    this.pointMap.set(site, new Map(points.map((p) => [p.code, p])))
    this.ver++
  }

  private pointsMap (site: string): Map<string, Point> {
    let m = this.pointMap.get(site)
    if (m === undefined) {
      m = new Map()
      this.pointMap.set(site, m)
    }
    return m
  }
}
