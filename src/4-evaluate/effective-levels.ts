// A rule's thresholds are defaults; the point definition's `limits` (报警/解报/断电/复电 and the four
// colours, access standard section 2) override them for that point. Where a point gives an `at` without
// its release, the rule's gap (at − release) is kept, so hysteresis never disappears by accident.
//
// A rule with `scale` writes its thresholds relative to design values the point carries as attributes,
// because design values differ from point to point: as factors (TP-1: red at 1.0 × controlDepthM, orange
// at 1.1 ×) or as offsets (TP-3: yellow at controlLevelM + 0, red at designMaxLevelM + 0), each level
// from `scale.attribute` or its own attribute in `scale.levels`. The design values are applied first;
// the point's limits, absolute values in the point's unit, then override the result exactly as they
// override plain thresholds (and a missing release keeps the scaled gap).
//
// Contract §2 makes a point's limits override the rule's defaults, so a level the limits give absolutely
// needs no design value: a piezometer registered with `limits: { orange: 4.4, red: 4.0 }` and no
// controlDepthM is judged like any other. Each level stands on its own — some from design values, some
// from limits — and only a level with neither keeps the point from the rule (see designValues).
import { LEVELS, type Attributes, type Level, type Limits } from '../contract/index.js'
import type { EffectiveLevel } from './compiled.js'
import type { ThresholdRuleSpec } from './rule-file.js'

interface Override { at?: number, release?: number }

/** Design is the design value each level of a point is relative to, and how (see designValues). */
export interface Design {
  by: 'factor' | 'offset'
  values: Partial<Record<Level, number>>
}

/**
 * effectiveLevels returns the rule's levels for a point (lowest first): the rule's bands, relative to
 * the point's design values when the rule has `scale` (pass designValues(rule, point)), then the point's
 * limits applied.
 */
export function effectiveLevels (rule: ThresholdRuleSpec, limits: Limits | undefined, design?: Design): EffectiveLevel[] {
  const out: EffectiveLevel[] = []
  for (const level of LEVELS) {
    const band = rule.levels[level]
    if (band === undefined) continue
    const ref = design?.values[level]
    const apply = (x: number): number => ref === undefined ? x : clean(design?.by === 'offset' ? ref + x : ref * x)
    const o = overrideFor(rule, level, limits)
    const gap = clean(apply(band.at) - apply(band.release))
    const at = o.at ?? apply(band.at)
    const release = o.release ?? clean(at - gap)
    out.push({ level, at, release: clampRelease(rule.direction, at, release) })
  }
  if (design !== undefined) checkOrder(rule, out)
  return out
}

/** designAttribute is the attribute a level of a rule with `scale` is relative to. */
export function designAttribute (rule: ThresholdRuleSpec, level: Level): string | undefined {
  return rule.scale === undefined ? undefined : rule.scale.levels?.[level] ?? rule.scale.attribute
}

/**
 * designValues reads the design values of a rule with `scale` from the point's attributes (undefined
 * without scale). Each must be a finite number (a numeric string is accepted: attributes often come from
 * spreadsheets), and > 0 for factors, since a factor of a value ≤ 0 turns the bands' order upside down.
 *
 * A level whose `at` the point's limits give absolutely (its colour, or 报警/断电 for the alarm and cut
 * levels) needs no design value: its value is read back from the limit (at ÷ factor, at − offset), so the
 * level's release keeps the rule's relative gap. A level with neither throws, so the rule is not bound to
 * that point and its health says why: judging the point on its other levels alone would silently drop a
 * level the rule promises (an orange that never comes before the red, a level the TP-6 roll-ups count).
 */
export function designValues (rule: ThresholdRuleSpec, point: { code: string, attributes?: Attributes, limits?: Limits }): Design | undefined {
  if (rule.scale === undefined) return undefined
  const by = rule.scale.by ?? 'factor'
  const values: Partial<Record<Level, number>> = {}
  for (const level of LEVELS) {
    const band = rule.levels[level]
    const name = designAttribute(rule, level)
    if (band === undefined || name === undefined) continue
    const raw = point.attributes?.[name]
    const value = raw === undefined ? null : designNumber(raw, by)
    const absolute = overrideFor(rule, level, point.limits).at
    if (value !== null) values[level] = value
    else if (absolute !== undefined) values[level] = impliedDesign(absolute, band.at, by)
    else throw new Error(`${missing(point.code, name, raw, by)} (the design value of rule ${rule.id}'s ${level} level), and its limits do not give ${level} absolutely`)
  }
  return { by, values }
}

function missing (code: string, name: string, raw: unknown, by: 'factor' | 'offset'): string {
  if (raw === undefined) return `point ${code} has no attribute "${name}"`
  return `point ${code} attribute "${name}" is ${JSON.stringify(raw)}, not ${by === 'factor' ? 'a number > 0' : 'a number'}`
}

// The design value an absolute `at` stands for: the value the rule's band would have scaled to that `at`.
// Only the release is derived from it (the `at` itself is the limit's); `at` of a factor band is > 0 (rules check).
function impliedDesign (at: number, bandAt: number, by: 'factor' | 'offset'): number {
  return by === 'offset' ? at - bandAt : at / bandAt
}

/** designNumber reads an attribute as a design value: a finite number (or numeric string), > 0 for factors; else null. */
export function designNumber (raw: unknown, by: 'factor' | 'offset'): number | null {
  const value = typeof raw === 'number' ? raw : (typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN)
  return Number.isFinite(value) && (by === 'offset' || value > 0) ? value : null
}

// Levels relative to different design values are only in order if the design values are: a pond whose
// pre-flood level is below its operating control level is a data error, and binding it would make the
// step function skip levels. Equal values are allowed (a cut equal to the alarm, like a point's limits).
function checkOrder (rule: ThresholdRuleSpec, levels: readonly EffectiveLevel[]): void {
  for (let i = 1; i < levels.length; i++) {
    const lo = levels[i - 1] as EffectiveLevel
    const hi = levels[i] as EffectiveLevel
    if (rule.direction === 'upper' ? hi.at < lo.at : hi.at > lo.at) {
      throw new Error(`rule ${rule.id}: the point's design values put ${hi.level} at ${hi.at}, ${rule.direction === 'upper' ? 'below' : 'above'} ${lo.level} at ${lo.at}`)
    }
  }
}

// 1.1 × 7 is 7.700000000000001 in binary floating point: round away the noise, so messages and limits
// read as written (12 significant digits are far beyond any sensor's resolution).
function clean (x: number): number {
  return Number(x.toPrecision(12))
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
