// Threshold semantics, as a plain function over plain state (the hot path: no RxJS, no allocation
// unless the level changes).
//
// Not firing: the candidate is the highest level whose `at` is reached. It must hold for `for` (event
// time, from the first reading it held) before the condition fires, at the candidate current then.
// Firing at C: a higher candidate escalates at once, because waiting would delay the worse news.
// Going down only happens through the release band: the new level is the highest l ≤ C whose release
// the value still reaches; if there is none the condition clears. This hysteresis stops a value that
// hovers around a limit from raising and clearing an alarm on every reading.
import { levelRank, type Level } from '../../contract/index.js'
import type { EffectiveLevel, KeyState } from '../compiled.js'
import type { Direction } from '../rule-file.js'

/** ThresholdParams is what the step needs from a compiled threshold instance. */
export interface ThresholdParams {
  direction: Direction
  forMs: number
  /** present levels, lowest first */
  levels: readonly EffectiveLevel[]
}

/** ThresholdStep describes a level change: `limit` is the threshold crossed. */
export interface ThresholdStep {
  from: Level | null
  to: Level | null
  /** `at` of the new level; for a clear, `release` of the old one */
  limit: number
  /** the threshold the value fell back across when going down (release of the old level) */
  release: number | null
  /** on a raise after a dwell: event time of the first reading of the dwell (the condition began then) */
  since?: number
}

/** stepThreshold evaluates one value at event time `ts`, updates `s`, and returns the change, if any. */
export function stepThreshold (p: ThresholdParams, s: KeyState, value: number, ts: number): ThresholdStep | null {
  // NaN compares false with everything and would read as "below every release": it would clear alarms
  if (!Number.isFinite(value)) throw new Error(`value ${String(value)} is not a finite number`)
  const cand = candidate(p, value)
  return s.level === null ? idle(p, s, cand, ts) : firing(p, s, s.level, cand, value)
}

function idle (p: ThresholdParams, s: KeyState, cand: number, ts: number): ThresholdStep | null {
  if (cand < 0) {
    resetPending(s)
    return null
  }
  const level = p.levels[cand] as EffectiveLevel
  s.pendingSince ??= ts
  s.pendingLevel = level.level
  if (ts - s.pendingSince < p.forMs) return null
  const since = s.pendingSince
  resetPending(s)
  s.level = level.level
  return { from: null, to: level.level, limit: level.at, release: null, since }
}

function firing (p: ThresholdParams, s: KeyState, current: Level, cand: number, value: number): ThresholdStep | null {
  resetPending(s)
  const c = indexOf(p.levels, current)
  if (cand > c) return move(s, current, p.levels[cand] as EffectiveLevel, null)
  const old = p.levels[c] as EffectiveLevel
  for (let i = c; i >= 0; i--) {
    const l = p.levels[i] as EffectiveLevel
    if (!beyond(p.direction, value, l.release)) continue
    return l.level === current ? null : move(s, current, l, old.release)
  }
  s.level = null
  return { from: current, to: null, limit: old.release, release: old.release }
}

function move (s: KeyState, from: Level, to: EffectiveLevel, release: number | null): ThresholdStep {
  s.level = to.level
  return { from, to: to.level, limit: to.at, release }
}

function candidate (p: ThresholdParams, value: number): number {
  for (let i = p.levels.length - 1; i >= 0; i--) {
    if (beyond(p.direction, value, (p.levels[i] as EffectiveLevel).at)) return i
  }
  return -1
}

/** beyond tells whether `value` reaches `limit` on the dangerous side (≥ for upper, ≤ for lower). */
export function beyond (direction: Direction, value: number, limit: number): boolean {
  return direction === 'upper' ? value >= limit : value <= limit
}

// The state's level may be one the rule no longer has (the rule file changed): use the highest
// present level not above it, or the lowest.
function indexOf (levels: readonly EffectiveLevel[], level: Level): number {
  const rank = levelRank(level)
  for (let i = levels.length - 1; i >= 0; i--) {
    if (levelRank((levels[i] as EffectiveLevel).level) <= rank) return i
  }
  return 0
}

function resetPending (s: KeyState): void {
  s.pendingSince = null
  s.pendingLevel = null
}
