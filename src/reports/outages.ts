// When something was down, from stored rows: a link (the engine's connectivity alarms, from raise to clear) and
// minewatch itself (its heartbeat rows). Pure: the rows and the range come in, spans go out.
import { intersect, normalize, type Span } from './spans.js'
import type { Beat, TransitionRow } from './types.js'

/** SITE_LINK_RULE and POINT_LINK_RULE are the engine's connectivity rules (rules/connectivity.yaml). */
export const SITE_LINK_RULE = 'connectivity.site.no_data'
export const POINT_LINK_RULE = 'connectivity.point.no_data'

// A link alarm holds its subject offline while its condition holds and it is not closed. A link alarm closed
// while still active records no clear afterwards (a closed alarm gets no further rows): its span ends at the close.
function holdsOffline (r: TransitionRow): boolean {
  return r.active && r.state !== 'closed'
}

/**
 * offlineSpans is when the alarms of `rows` held their subject offline, within `range`. Each alarm's rows are read
 * in (ts, seq) order, the state after each row holding until the next one; a row before the range gives the
 * state at its start, and a span still open at the end of the range ends there.
 */
export function offlineSpans (rows: readonly TransitionRow[], range: Span): Span[] {
  const byAlarm = new Map<string, TransitionRow[]>()
  for (const r of rows) {
    const list = byAlarm.get(r.alarmId) ?? []
    list.push(r)
    byAlarm.set(r.alarmId, list)
  }
  const spans: Span[] = []
  for (const list of byAlarm.values()) {
    list.sort((a, b) => a.ts - b.ts || a.seq - b.seq)
    let since: number | null = null
    for (const r of list) {
      if (holdsOffline(r)) since ??= r.ts
      else if (since !== null) { spans.push([since, r.ts]); since = null }
    }
    if (since !== null) spans.push([since, range[1]])
  }
  return intersect(spans, [range])
}

/** siteLinkSpans is when the site's link alarm held it offline. */
export function siteLinkSpans (rows: readonly TransitionRow[], site: string, range: Span): Span[] {
  return offlineSpans(rows.filter((r) => r.ruleId === SITE_LINK_RULE && r.site === site), range)
}

/** pointLinkSpans is when the point's own no-data alarm held it offline (the site's link alarm is apart). */
export function pointLinkSpans (rows: readonly TransitionRow[], site: string, point: string, range: Span): Span[] {
  return offlineSpans(rows.filter((r) => r.ruleId === POINT_LINK_RULE && r.site === site && r.points.includes(point)), range)
}

/**
 * upSpans is when minewatch was up by its heartbeat: between two beats no more than twice the earlier one's period
 * apart, and from the last beat on while the next is not overdue at `now`. A longer gap counts as down whole.
 */
export function upSpans (beats: readonly Beat[], range: Span, now: number): Span[] {
  const sorted = [...beats].sort((a, b) => a.ts - b.ts)
  const spans: Span[] = []
  sorted.forEach((b, i) => {
    const next = sorted[i + 1]
    if (next !== undefined) {
      if (next.ts - b.ts <= 2 * b.periodMs) spans.push([b.ts, next.ts])
    } else if (now - b.ts <= 2 * b.periodMs) {
      spans.push([b.ts, now])
    }
  })
  return intersect(normalize(spans), [range])
}
