// The link and data figures of one site (docs/kpi.md): the time it was watched, its link online rate, its points'
// online rate and the completeness of their data against each point's interval. Pure.
import { intersect, measure, union, type Span } from './spans.js'
import { pointLinkSpans, siteLinkSpans } from './outages.js'
import type { PointVersion, ReadingCount, SiteInfo, TransitionRow } from './types.js'

/**
 * monitoredSpans is when the site was watched within `range`: from its first status on, except while closed (a
 * closed mine is expected to be silent and the engine does not watch it). A site without a timeline counts whole.
 */
export function monitoredSpans (site: SiteInfo, range: Span): Span[] {
  const timeline = [...site.timeline].sort((a, b) => a.since - b.since)
  if (timeline.length === 0) return [range]
  const open: Span[] = []
  timeline.forEach((c, i) => {
    if (c.status !== 'closed') open.push([c.since, timeline[i + 1]?.since ?? Infinity])
  })
  return intersect(open, [range])
}

/** PointLife is one point: the spans its definitions were in force, each with its reporting interval. */
export interface PointLife { point: string, spans: Array<{ span: Span, intervalS: number }> }

/** pointLives reads a site's point versions (any order) into the spans each point existed, by interval. */
export function pointLives (versions: readonly PointVersion[], site: string): PointLife[] {
  const byPoint = new Map<string, PointVersion[]>()
  for (const v of versions) {
    if (v.site !== site) continue
    const list = byPoint.get(v.point) ?? []
    list.push(v)
    byPoint.set(v.point, list)
  }
  return [...byPoint].sort(([a], [b]) => a.localeCompare(b)).map(([point, list]) => {
    list.sort((a, b) => a.ts - b.ts)
    const spans: PointLife['spans'] = []
    list.forEach((v, i) => {
      if (v.intervalS !== null && v.intervalS > 0) spans.push({ span: [v.ts, list[i + 1]?.ts ?? Infinity], intervalS: v.intervalS })
    })
    return { point, spans }
  }).filter((p) => p.spans.length > 0)
}

/** LinkFigures are the summed times behind a site's link, point and completeness figures. */
export interface LinkFigures {
  monitoredMs: number
  linkOfflineMs: number
  outages: number
  points: number
  pointMs: number
  pointOfflineMs: number
  expected: number
  stored: number
}

/**
 * linkFigures sums a site's times: the link offline while watched; for each point that existed while watched, its
 * offline time (its own no-data alarm or the site's link alarm) and its expected readings (time existed and watched
 * ÷ interval, whole readings) against those stored, a point counting at most what it was expected to send.
 */
export function linkFigures (site: SiteInfo, range: Span, versions: readonly PointVersion[], readings: readonly ReadingCount[], linkRows: readonly TransitionRow[]): LinkFigures {
  const watched = monitoredSpans(site, range)
  const siteOffline = intersect(siteLinkSpans(linkRows, site.code, range), watched)
  const stored = new Map(readings.filter((r) => r.site === site.code).map((r) => [r.point, r.count]))
  const out: LinkFigures = { monitoredMs: measure(watched), linkOfflineMs: measure(siteOffline), outages: siteOffline.length, points: 0, pointMs: 0, pointOfflineMs: 0, expected: 0, stored: 0 }
  for (const life of pointLives(versions, site.code)) {
    const existed = intersect(life.spans.map((s) => s.span), watched)
    if (existed.length === 0) continue
    const offline = intersect(union(siteOffline, pointLinkSpans(linkRows, site.code, life.point, range)), existed)
    const expected = Math.floor(life.spans.reduce((n, s) => n + measure(intersect([s.span], watched)) / (s.intervalS * 1000), 0))
    out.points++
    out.pointMs += measure(existed)
    out.pointOfflineMs += measure(offline)
    out.expected += expected
    out.stored += Math.min(stored.get(life.point) ?? 0, expected)
  }
  return out
}

/** ratio divides, or null when there is nothing to divide by. */
export function ratio (part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null
}

/** online is 1 − offline/total, or null without a total. */
export function online (offline: number, total: number): number | null {
  return total > 0 ? 1 - offline / total : null
}
