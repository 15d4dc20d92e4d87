// The hand-computed KPI fixture (docs/kpi.md), one local day of two sites, used twice: the unit test feeds it to the
// pure computation (alarm rows made by the real transition function), the integration test plays it through the
// real app and QuestDB. EXPECTED is worked out by hand in the comments below, not by running the code.
//
// The day: 2026-11-21 in Beijing time, [D0, D0 + 24 h) with D0 = 2026-11-20T16:00:00Z; the report is asked at NOW = D0 + 30 h.
// KPI-S1 (producing all day): points P1 (60 s, all day) and P2 (60 s, defined at 12:00); its link down 02:00–03:30 (alarm L1),
//   P1's own no-data alarm L2 03:00–04:00; readings: P1 1300 in the day (+2 outside), P2 800 from 12:00 (30 s apart).
// KPI-S2 (closed from 18:00): point Q1 (30 s); link alarm L3 raised the evening before, cleared 01:00; L4 raised 17:00,
//   never cleared; readings: Q1 2100 from 00:00 (30 s apart).
// Heartbeat every 60 s, missing from 10:00 to 10:30 (down 30 min) and one beat missing at 15:00 (a 120 s gap: still up).
import type { Category, Level } from '../../../src/contract/index.js'
import type { ReadingRow } from '../../../src/contract/rows.js'
import type { ConditionInput, OperatorInput } from '../../../src/5-alarm/types.js'
import { change } from '../5-alarm/fixtures.js'

export const H = 3_600_000
export const M = 60_000
export const D0 = Date.UTC(2026, 10, 20, 16)
export const DAY = '2026-11-21'
export const END = D0 + 24 * H
export const NOW = D0 + 30 * H
export const S1 = 'KPI-S1'
export const S2 = 'KPI-S2'
/** SINCE is when both sites and their first points were registered */
export const SINCE = D0 - 10 * 24 * H
export const S2_CLOSED = D0 + 18 * H

/** Step is one thing that happens to an alarm at `at`: a condition change (level, null: cleared) or an operator action. */
export type Step = { at: number, key: string, level: Level | null } | { at: number, key: string, act: OperatorInput }

/** ALARMS names each alarm of the fixture: its rule, category, site and points. */
export const ALARMS: Record<string, { ruleId: string, category: Category, site: string, points: string[] }> = {
  L1: { ruleId: 'connectivity.site.no_data', category: 'fault', site: S1, points: [] },
  L2: { ruleId: 'connectivity.point.no_data', category: 'fault', site: S1, points: ['P1'] },
  L3: { ruleId: 'connectivity.site.no_data', category: 'fault', site: S2, points: [] },
  L4: { ruleId: 'connectivity.site.no_data', category: 'fault', site: S2, points: [] },
  A1: { ruleId: 'gas.co.limit', category: 'over_limit', site: S1, points: ['P1'] },
  A2: { ruleId: 'trend.co.steady_rise', category: 'early_warning', site: S1, points: ['P2'] },
  A3: { ruleId: 'personnel.overcrowding.site', category: 'violation', site: S1, points: [] },
  A4: { ruleId: 'gas.co.limit', category: 'over_limit', site: S1, points: ['P2'] }
}

const ack: OperatorInput = { type: 'ack', by: '值班员' }
const close = (disposition: 'confirmed' | 'false_alarm' | 'planned' | 'other'): OperatorInput => ({ type: 'close', by: '值班员', disposition })

/** STEPS in time order. */
export const STEPS: Step[] = [
  { at: D0 - 1 * H, key: 'L3', level: 'orange' },
  { at: D0 + 1 * H, key: 'L3', level: null },
  { at: D0 + 2 * H, key: 'L1', level: 'orange' },
  { at: D0 + 2 * H + 10 * M, key: 'L1', act: ack },
  { at: D0 + 3 * H, key: 'L2', level: 'yellow' },
  { at: D0 + 3 * H + 30 * M, key: 'L1', level: null },
  { at: D0 + 3 * H + 45 * M, key: 'L2', act: ack },
  { at: D0 + 4 * H, key: 'L2', level: null },
  { at: D0 + 4 * H, key: 'L1', act: close('confirmed') },
  { at: D0 + 5 * H, key: 'A1', level: 'yellow' },
  { at: D0 + 5 * H + 3 * M, key: 'A3', level: 'orange' },
  { at: D0 + 5 * H + 4 * M, key: 'A3', act: ack },
  { at: D0 + 5 * H + 5 * M, key: 'A1', level: 'red' },
  { at: D0 + 5 * H + 9 * M, key: 'A4', level: 'yellow' },
  { at: D0 + 5 * H + 15 * M, key: 'A4', level: null },
  { at: D0 + 5 * H + 16 * M, key: 'A4', level: 'yellow' },
  { at: D0 + 5 * H + 20 * M, key: 'A4', act: ack },
  { at: D0 + 5 * H + 30 * M, key: 'A3', act: close('false_alarm') },
  { at: D0 + 6 * H, key: 'A4', act: close('other') },
  { at: D0 + 6 * H + 30 * M, key: 'A1', act: ack },
  { at: D0 + 7 * H, key: 'A1', act: close('false_alarm') },
  { at: D0 + 17 * H, key: 'L4', level: 'orange' },
  { at: D0 + 23 * H + 50 * M, key: 'A2', level: 'blue' },
  { at: D0 + 28 * H, key: 'L2', act: close('planned') }
]

/** conditionOf is the engine's condition change of a fixture alarm at `at`. */
export function conditionOf (key: string, level: Level | null, at: number): ConditionInput {
  const a = ALARMS[key] as typeof ALARMS[string]
  return change(level, {
    key: `${a.ruleId}|${a.site}|${key}`,
    rule: { ruleId: a.ruleId, ruleVersion: 'v1', category: a.category, title: key, source: 'fixture', hazardClause: null },
    siteCode: a.site,
    points: a.points,
    eventTs: at
  })
}

/** POINT_PUTS are the point lists each site was given, and when. */
export const POINT_PUTS: Array<{ at: number, site: string, points: Array<{ code: string, intervalS: number }> }> = [
  { at: SINCE, site: S1, points: [{ code: 'P1', intervalS: 60 }] },
  { at: SINCE, site: S2, points: [{ code: 'Q1', intervalS: 30 }] },
  { at: D0 + 12 * H, site: S1, points: [{ code: 'P1', intervalS: 60 }, { code: 'P2', intervalS: 60 }] }
]

function series (site: string, point: string, start: number, everyMs: number, n: number): ReadingRow[] {
  return Array.from({ length: n }, (_, i) => ({ site, point, value: 1, status: 0, ts: start + i * everyMs, receivedAt: start + i * everyMs }))
}

/** READINGS are the stored readings: in the day, and three outside it that must not count. */
export const READINGS: ReadingRow[] = [
  ...series(S1, 'P1', D0, M, 1300),
  ...series(S1, 'P1', D0 - M, M, 1),
  ...series(S1, 'P1', END, M, 1),
  ...series(S1, 'P2', D0 + 12 * H, 30_000, 800),
  ...series(S2, 'Q1', D0, 30_000, 2100),
  ...series(S2, 'Q1', D0 - 30_000, 30_000, 1)
]

/** BEATS are the heartbeat times (period 60 s). */
export const BEATS: number[] = [
  ...Array.from({ length: 602 }, (_, k) => D0 - M + k * M), // D0 − 1 min … D0 + 10 h
  ...Array.from({ length: 13 * 60 + 32 }, (_, k) => D0 + 10 * H + 30 * M + k * M).filter((t) => t !== D0 + 15 * H) // 10:30 … 24:01
]
