// A rule's thresholds are defaults; the point definition's `limits` (报警/解报/断电/复电 and the four
// colours, access standard section 2) override them for that point. Where a point gives an `at` without
// its release, the rule's gap (at − release) is kept, so hysteresis never disappears by accident.
import { LEVELS, type Level, type Limits } from '../contract/index.js'
import type { EffectiveLevel } from './compiled.js'
import type { ThresholdRuleSpec } from './rule-file.js'

interface Override { at?: number, release?: number }

/** effectiveLevels returns the rule's levels for a point (lowest first), with the point's limits applied. */
export function effectiveLevels (rule: ThresholdRuleSpec, limits: Limits | undefined): EffectiveLevel[] {
  const out: EffectiveLevel[] = []
  for (const level of LEVELS) {
    const band = rule.levels[level]
    if (band === undefined) continue
    const o = overrideFor(rule, level, limits)
    const gap = band.at - band.release
    const at = o.at ?? band.at
    const release = o.release ?? at - gap
    out.push({ level, at, release: clampRelease(rule.direction, at, release) })
  }
  return out
}

// The most specific override wins: the colour first, then 报警/解报, then 断电/复电.
function overrideFor (rule: ThresholdRuleSpec, level: Level, limits: Limits | undefined): Override {
  if (limits === undefined) return {}
  const o: Override = {}
  if (limits[level] !== undefined) o.at = limits[level]
  const alarmLevel = rule.alarmLevel ?? lowestLevel(rule)
  if (level === alarmLevel) {
    const at = rule.direction === 'upper' ? limits.upperAlarm : limits.lowerAlarm
    const release = rule.direction === 'upper' ? limits.upperRelease : limits.lowerRelease
    if (at !== undefined) o.at = at
    if (release !== undefined) o.release = release
  }
  // the contract has no lower cut, so cut/restore only apply to upper rules
  if (level === rule.cutLevel && rule.direction === 'upper') {
    if (limits.upperCut !== undefined) o.at = limits.upperCut
    if (limits.upperRestore !== undefined) o.release = limits.upperRestore
  }
  return o
}

function lowestLevel (rule: ThresholdRuleSpec): Level | undefined {
  return LEVELS.find((l) => rule.levels[l] !== undefined)
}

// A point may set release == at (the coal cut table does: 1.0 / 1.0 / 1.0), but never a release on the
// wrong side of at: that would clear an alarm while the value still exceeds the limit and flap.
function clampRelease (direction: ThresholdRuleSpec['direction'], at: number, release: number): number {
  return direction === 'upper' ? Math.min(release, at) : Math.max(release, at)
}
