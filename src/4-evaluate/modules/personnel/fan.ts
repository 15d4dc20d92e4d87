// NM-5: people underground while a main fan is stopped (主要通风机停止运转而井下有人). Two sources meet
// here: the fan_status switch points (readings, 1 running / 0 stopped) that the rule's `match` selects, and
// the positioning snapshots. Both facts must hold at the same event time, each known from data no older
// than staleAfter at that time; when either is unknown the condition stays where it stands.
//
// require: any (default) holds when one matched fan is stopped — each main fan station ventilates its own
// part of the mine; all holds only when every matched fan is, for fans running in parallel on one shaft.
import type { Level } from '../../../contract/index.js'
import type { ReadingRow } from '../../../contract/rows.js'
import type { Point, Site } from '../../../registry/types.js'
import { hazardFor, ms, type Bound } from '../shared/condition.js'
import { SITE_SUBJECT, conditionKey } from '../shared/keys.js'
import type { PointIndex } from '../shared/point-index.js'
import { STALE_AFTER } from './headcount.js'
import type { Judge, Positions } from './positioning.js'

/** FanRule is a fan rule bound to the fans it watches, per site. */
export interface FanRule extends Bound { fans: Map<string, Point[]> }

/** FanStates holds the last reading of every watched fan, by site and point. */
export type FanStates = PointIndex<{ value: number, ts: number }>

/** recordFan keeps a reading of a watched fan; false when it is not newer than the one kept. */
export function recordFan (r: ReadingRow, states: FanStates): boolean {
  const prev = states.get(r.site, r.point)
  if (prev !== undefined && r.ts <= prev.ts) return false
  if (prev === undefined) states.set(r.site, r.point, { value: r.value, ts: r.ts })
  else { prev.value = r.value; prev.ts = r.ts }
  return true
}

/** judgeFan decides the condition of `site` at event time ts from the fan states and the latest snapshot. */
export function judgeFan (j: Judge, b: FanRule, site: Site, ts: number, receivedAt: number, states: FanStates, positions: Positions): void {
  const fans = b.fans.get(site.code)
  if (fans === undefined || fans.length === 0) return
  const key = conditionKey(b.rule.id, site.code, SITE_SUBJECT)
  // decisions never go back in time: a reading older than the last decision waits for the next fact
  if (j.conds.before(key, ts)) return
  const staleMs = ms(b.rule, 'staleAfter', STALE_AFTER)
  const below = typeof b.rule.stoppedBelow === 'number' ? b.rule.stoppedBelow : 0.5
  const stopped: string[] = []
  let running = 0
  for (const f of fans) {
    const s = states.get(site.code, f.code)
    if (s === undefined || Math.abs(ts - s.ts) > staleMs) continue
    if (s.value < below) stopped.push(f.code)
    else running++
  }
  const unknown = fans.length - stopped.length - running
  const all = b.rule.require === 'all'
  const fanHolds = all ? stopped.length === fans.length : stopped.length > 0
  const fanClear = all ? running > 0 : stopped.length === 0 && unknown === 0
  const snap = positions.latest(site.code)
  const fresh = snap !== undefined && Math.abs(ts - snap.ts) <= staleMs
  const people = fresh ? snap.people.length : null
  // points: every main fan the rule watches at the site, so the alarm's points stay the same through its life
  const base = { value: people, limit: 0, eventTs: ts, receivedAt, points: fans.map((f) => f.code), hazardClause: hazardFor(b.rule, site.kind) }
  if (fanClear) {
    j.conds.set(j.ctx, key, b.ref, site.code, { ...base, level: null, message: '主要通风机运转' })
  } else if (fanHolds && people === 0) {
    j.conds.set(j.ctx, key, b.ref, site.code, { ...base, level: null, message: '主要通风机停止运转，井下无人' })
  } else if (fanHolds && people !== null) {
    const level = (b.rule.level as Level | undefined) ?? 'red'
    j.conds.set(j.ctx, key, b.ref, site.code, { ...base, level, message: `主要通风机 ${stopped.join('、')} 停止运转，井下仍有 ${people} 人` })
  }
}
