// The KPI fixture as the queries would read it back (src/reports/queries.ts), built without QuestDB: the alarm rows
// are what the real transition function records for the fixture's steps, cut as each query cuts them.
import { transition, isTransitionError } from '../../../src/5-alarm/transition.js'
import type { Alarm, AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import { POINT_LINK_RULE, SITE_LINK_RULE } from '../../../src/reports/outages.js'
import type { KpiData, SiteInfo, TransitionRow } from '../../../src/reports/types.js'
import { BEATS, conditionOf, D0, END, NOW, POINT_PUTS, READINGS, S1, S2, S2_CLOSED, SINCE, STEPS } from './fixture.js'

/** SITES are the fixture's sites as the registry has them. */
export const SITES: SiteInfo[] = [
  { code: S1, name: '一号矿', timeline: [{ since: SINCE, status: 'producing' }] },
  { code: S2, name: '二号矿', timeline: [{ since: SINCE, status: 'producing' }, { since: S2_CLOSED, status: 'closed' }] }
]

/** fixtureRows plays the steps through transition() and returns every transition as a row, in time order. */
export function fixtureRows (): TransitionRow[] {
  const current = new Map<string, Alarm>()
  const records: AlarmTransitionRecord[] = []
  for (const step of STEPS) {
    const input = 'act' in step ? step.act : conditionOf(step.key, step.level, step.at)
    const result = transition(current.get(step.key), input, { now: step.at, newId: () => step.key })
    if (isTransitionError(result)) throw new Error(`${step.key}: ${result.message}`)
    if (result.alarm === undefined || result.record === undefined) throw new Error(`${step.key}: no transition`)
    current.set(step.key, result.alarm)
    records.push(result.record)
  }
  return records.map((r) => ({
    alarmId: r.alarmId,
    seq: r.seq,
    transition: r.transition,
    category: r.alarm.category,
    level: r.alarm.level,
    site: r.alarm.siteCode,
    ruleId: r.alarm.ruleId,
    points: r.alarm.points,
    state: r.alarm.state,
    active: r.alarm.active,
    disposition: r.disposition ?? null,
    ts: r.detectedAt
  }))
}

/** fixtureData is the KpiData of the fixture's day, as of NOW. */
export function fixtureData (): KpiData {
  const rows = fixtureRows()
  const range = [D0, END] as const
  const link = rows.filter((r) => r.ruleId === SITE_LINK_RULE || r.ruleId === POINT_LINK_RULE)
  const before = [...new Set(link.map((r) => r.alarmId))].flatMap((id) => link.filter((r) => r.alarmId === id && r.ts < D0).slice(-1))
  const firstRaised = new Set(rows.filter((r) => r.seq === 1 && r.transition === 'raised' && r.ts >= D0 && r.ts < END).map((r) => r.alarmId))
  const counts = new Map<string, number>()
  for (const r of READINGS) if (r.ts >= D0 && r.ts < END) counts.set(`${r.site}/${r.point}`, (counts.get(`${r.site}/${r.point}`) ?? 0) + 1)
  return {
    range,
    now: NOW,
    sites: SITES,
    points: POINT_PUTS.flatMap((p) => p.points.map((x) => ({ site: p.site, point: x.code, intervalS: x.intervalS, ts: p.at }))),
    readings: [...counts].map(([key, count]) => ({ site: key.split('/')[0] as string, point: key.split('/')[1] as string, count })),
    linkRows: [...before, ...link.filter((r) => r.ts >= D0 && r.ts < END)],
    cohort: rows.filter((r) => firstRaised.has(r.alarmId) && r.ts >= D0),
    raises: rows.filter((r) => r.transition === 'raised' && r.ts >= D0 && r.ts < END).map((r) => ({ site: r.site, ts: r.ts })),
    beats: BEATS.map((ts) => ({ ts, periodMs: 60_000 }))
  }
}
