// The alarm figures of the KPI report (docs/kpi.md): counts by category and level, the raise rate per 10 minutes
// and its peak, and how alarms were handled (response and repair times, false alarms). Pure.
import { LEVELS, levelRank, type Category, type Disposition, type Level } from '../contract/index.js'
import type { Handling, TransitionRow } from './types.js'

const MIN = 60_000
/** RESPONSE_MS and REPAIR_MS are the forms' targets: fault response ≤ 60 min, repair ≤ 24 h (seed 001). */
export const RESPONSE_MS = 60 * MIN
export const REPAIR_MS = 24 * 60 * MIN
/** WINDOW_MS is the alarm-rate window (EEMUA 191: alarms per 10 minutes). */
export const WINDOW_MS = 10 * MIN

export const CATEGORIES: readonly Category[] = ['early_warning', 'over_limit', 'violation', 'fault']
export const DISPOSITIONS: readonly Disposition[] = ['confirmed', 'false_alarm', 'planned', 'other']
const RESPONSES = new Set(['acknowledged', 'dispatched', 'closed'])

/** AlarmLife is one alarm first raised in the range: when, how high it went (before the range's end), when answered and closed. */
export interface AlarmLife {
  alarmId: string
  site: string
  category: Category
  level: Level
  raisedAt: number
  respondedAt: number | null
  closedAt: number | null
  disposition: Disposition | null
}

/** alarmLives reads the cohort's rows into one AlarmLife per alarm; levels after `until` are not counted. */
export function alarmLives (rows: readonly TransitionRow[], until: number): AlarmLife[] {
  const byAlarm = new Map<string, TransitionRow[]>()
  for (const r of rows) byAlarm.set(r.alarmId, [...(byAlarm.get(r.alarmId) ?? []), r])
  const lives: AlarmLife[] = []
  for (const list of byAlarm.values()) {
    list.sort((a, b) => a.ts - b.ts || a.seq - b.seq)
    const raise = list.find((r) => r.seq === 1 && r.transition === 'raised')
    if (raise === undefined) continue
    const level = list.filter((r) => r.ts < until).reduce<Level>((top, r) => levelRank(r.level) > levelRank(top) ? r.level : top, raise.level)
    const response = list.find((r) => RESPONSES.has(r.transition))
    const close = list.find((r) => r.transition === 'closed')
    lives.push({
      alarmId: raise.alarmId,
      site: raise.site,
      category: raise.category,
      level,
      raisedAt: raise.ts,
      respondedAt: response?.ts ?? null,
      closedAt: close?.ts ?? null,
      disposition: close?.disposition ?? null
    })
  }
  return lives.sort((a, b) => a.raisedAt - b.raisedAt)
}

/** nearestRank is the p-quantile (0 < p ≤ 1) of sorted values by the nearest-rank method, or null for none. */
export function nearestRank (sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null
}

// the share of `lives` done within `limit` of the raise, of those done or whose limit has passed at `now`
function shareWithin (lives: readonly AlarmLife[], at: (a: AlarmLife) => number | null, limit: number, now: number): number | null {
  const due = lives.filter((a) => at(a) !== null || now - a.raisedAt >= limit)
  if (due.length === 0) return null
  return due.filter((a) => { const t = at(a); return t !== null && t - a.raisedAt <= limit }).length / due.length
}

/** handling summarises how `lives` were handled as of `now`. */
export function handling (lives: readonly AlarmLife[], now: number): Handling {
  const delays = lives.flatMap((a) => a.respondedAt === null ? [] : [(a.respondedAt - a.raisedAt) / 1000]).sort((x, y) => x - y)
  const closed = lives.filter((a) => a.closedAt !== null)
  const dispositions = Object.fromEntries(DISPOSITIONS.map((d) => [d, closed.filter((a) => a.disposition === d).length])) as Record<Disposition, number>
  return {
    alarms: lives.length,
    acknowledged: delays.length,
    ackP50S: nearestRank(delays, 0.5),
    ackP90S: nearestRank(delays, 0.9),
    ackWithin60mShare: shareWithin(lives, (a) => a.respondedAt, RESPONSE_MS, now),
    closed: closed.length,
    closedWithin24hShare: shareWithin(lives, (a) => a.closedAt, REPAIR_MS, now),
    falseAlarms: dispositions.false_alarm,
    falseAlarmShare: closed.length === 0 ? null : dispositions.false_alarm / closed.length,
    dispositions
  }
}

/** countBy counts alarms by category and by level (the highest reached). */
export function countBy (lives: readonly AlarmLife[]): { byCategory: Record<Category, number>, byLevel: Record<Level, number> } {
  return {
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, lives.filter((a) => a.category === c).length])) as Record<Category, number>,
    byLevel: Object.fromEntries(LEVELS.map((l) => [l, lives.filter((a) => a.level === l).length])) as Record<Level, number>
  }
}

/** peakWindow is the most raises in any window of WINDOW_MS (t − 10 min, t]. */
export function peakWindow (times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let peak = 0
  let first = 0
  sorted.forEach((t, i) => {
    while ((sorted[first] as number) <= t - WINDOW_MS) first++
    peak = Math.max(peak, i - first + 1)
  })
  return peak
}
