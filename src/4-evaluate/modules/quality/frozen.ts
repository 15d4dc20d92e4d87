// `frozen` (DQ-6, 数据冻结/疑似篡改): a point repeats exactly the same value (or stays within `epsilon` of it)
// for at least `for` while enough neighbours — points of the same quantity at the same site (or in the same
// area or item) — changed during that time. A real sensor is never that still when its neighbours move: it
// is stuck, or its data is being replayed or made up (data generators that feed a fixed value).
// Neighbours must vary so that a quiet site (a pond level on a windless night) raises nothing, and a value
// at the bottom of the point's range never counts: a toxic-gas sensor reads 0 below its detection limit
// for days, which is what a clean mine looks like.
import type { Level } from '../../../contract/index.js'
import type { Point, Site } from '../../../registry/types.js'
import { durationZh, num, pointHead } from '../../messages.js'
import { LEVEL_ZH } from '../../../contract/index.js'
import type { KeyState } from '../../compiled.js'

/** FrozenRule is a `frozen` rule's own fields. */
export interface FrozenRule {
  for: string
  minNeighbours: number
  /** largest difference from the run's first value still counted as "the same" (default 0: identical) */
  epsilon?: number
  /** who the neighbours are: same quantity at the same site (default), or also the same area or item */
  neighbourhood?: 'site' | 'area' | 'item'
  level: Level
}

/** FrozenTrack is one (rule, point): its current run of unchanged values and when it last changed. */
export interface FrozenTrack {
  point: Point
  /** the value the run started with, null before the first measurement */
  runValue: number | null
  /** event time of the run's first reading */
  runSince: number
  /** event time of the last reading that differed from the one before it */
  lastChangeTs: number
  /** newest reading taken */
  lastTs: number
  /** the tracks of the same neighbourhood, this one included */
  group: FrozenTrack[]
  /** the bottom of the point's range (its valid range, else its range): a run at or below it is no suspicion */
  floor: number
}

/** FrozenStep is a level change of a frozen condition. */
export interface FrozenStep {
  to: Level | null
  /** how many neighbours changed during the run */
  neighbours: number
  since: number
}

/** newTrack is the track of a point that has not reported yet. */
export function newTrack (point: Point): FrozenTrack {
  const floor = (point.validRange ?? point.range)?.[0] ?? -Infinity
  return { point, runValue: null, runSince: 0, lastChangeTs: -Infinity, lastTs: -Infinity, group: [], floor }
}

/** groupKey names a point's neighbourhood within a rule. */
export function groupKey (ruleId: string, site: Site, point: Point, by: FrozenRule['neighbourhood']): string {
  const extra = by === 'area' ? point.area ?? '' : by === 'item' ? point.item ?? '' : ''
  return `${ruleId}|${site.code}|${point.quantity}|${extra}`
}

/**
 * stepFrozen takes one measurement into the track and decides the condition's level in `s`: raised once the
 * run lasts `forMs` with at least `minNeighbours` neighbours changed since it began, cleared by the first
 * value that differs. `decide` false only tracks (a replay of readings already decided before a restart).
 */
export function stepFrozen (t: FrozenTrack, s: KeyState, r: { forMs: number, minNeighbours: number, epsilon: number, level: Level }, ts: number, value: number, decide: boolean): FrozenStep | null {
  // a relative 1e-9 of slack: 25.05 − 25 is 0.0500000000000007 in binary, and must count as 0.05
  if (t.runValue === null || Math.abs(value - t.runValue) > r.epsilon + 1e-9 * Math.max(1, Math.abs(value))) {
    if (t.runValue !== null) t.lastChangeTs = ts
    t.runValue = value
    t.runSince = ts
    if (!decide || s.level === null) return null
    s.level = null
    return { to: null, neighbours: 0, since: ts }
  }
  if (!decide || s.level !== null || ts - t.runSince < r.forMs || t.runValue <= t.floor) return null
  const neighbours = movedSince(t, t.runSince)
  if (neighbours < r.minNeighbours) return null
  s.level = r.level
  return { to: r.level, neighbours, since: t.runSince }
}

function movedSince (t: FrozenTrack, since: number): number {
  let n = 0
  for (const other of t.group) if (other !== t && other.lastChangeTs > since) n++
  return n
}

/** frozenMessage words a frozen change. */
export function frozenMessage (t: FrozenTrack, step: FrozenStep, ts: number, value: number): string {
  const u = t.point.unit === '' ? '' : ` ${t.point.unit}`
  if (step.to === null) return `${pointHead(t.point)}读数恢复变化（${num(value)}${u}），数据冻结已解除`
  return `${pointHead(t.point)}读数 ${num(value)}${u} 已 ${durationZh(ts - step.since)}未变化，同期 ${step.neighbours} 个相邻同类测点有变化，疑似传感器故障或数据篡改，${LEVEL_ZH[step.to]}`
}
