// Checks of a threshold rule that a schema cannot express: level order and release bands, the dwell's
// duration, named levels, and design-value scaling.
import { LEVELS, type Level } from '../../../../contract/index.js'
import { parseDuration } from '../../../../lib/duration.js'
import { designAttribute, designNumber } from '../../../effective-levels.js'
import type { Issue } from '../../../issue.js'
import type { RuleDef, ThresholdRuleSpec } from '../../../rule-file.js'

/** thresholdIssues returns the semantic issues of one schema-valid threshold rule whose JSON pointer is `base`. */
export function thresholdIssues (rule: RuleDef, base: string): Issue[] {
  const r = rule as ThresholdRuleSpec
  return [...durationIssues(r, base), ...bandIssues(r, base), ...namedLevelIssues(r, base), ...scaleIssues(r, base)]
}

function durationIssues (rule: ThresholdRuleSpec, base: string): Issue[] {
  if (rule.for === undefined) return []
  try {
    // a bare number would silently mean milliseconds: demand a unit so "10" is not read as 10 ms
    parseDuration(rule.for, { bare: 'reject' })
    return []
  } catch (err) {
    return [{ path: `${base}/for`, message: (err as Error).message }]
  }
}

// For an upper rule each release is below its at, and the ats rise from blue to red; mirrored for lower.
function bandIssues (rule: ThresholdRuleSpec, base: string): Issue[] {
  const upper = rule.direction === 'upper'
  const kind = upper ? 'an upper' : 'a lower'
  const issues: Issue[] = []
  let prev: { level: Level, at: number } | undefined
  for (const level of LEVELS) {
    const band = rule.levels[level]
    if (band === undefined) continue
    const where = `${base}/levels/${level}`
    if (upper ? band.release >= band.at : band.release <= band.at) {
      const side = upper ? 'below' : 'above'
      issues.push({ path: `${where}/release`, message: `release ${band.release} must be ${side} at ${band.at} for ${kind} rule` })
    }
    // levels relative to different design values (scale.levels) are ordered by those values, not by at
    if (prev !== undefined && designAttribute(rule, prev.level) === designAttribute(rule, level) && (upper ? band.at <= prev.at : band.at >= prev.at)) {
      const side = upper ? 'above' : 'below'
      issues.push({ path: `${where}/at`, message: `at ${band.at} must be ${side} ${prev.level}'s at ${prev.at} for ${kind} rule` })
    }
    prev = { level, at: band.at }
  }
  return issues
}

function namedLevelIssues (rule: ThresholdRuleSpec, base: string): Issue[] {
  const issues: Issue[] = []
  for (const field of ['alarmLevel', 'cutLevel', 'hazardLevel'] as const) {
    const level = rule[field]
    if (level !== undefined && rule.levels[level] === undefined) {
      issues.push({ path: `${base}/${field}`, message: `names level "${level}", which this rule does not define` })
    }
  }
  if (rule.hazardLevel !== undefined && (rule.hazardClause ?? null) === null) {
    issues.push({ path: `${base}/hazardLevel`, message: 'hazardLevel says from which level hazardClause applies, but the rule has no hazardClause' })
  }
  return issues
}

// With `scale` by factor the bands are factors of design values > 0: a factor ≤ 0 would put a level at
// or beyond zero on every point. A level named in scale.levels must exist, and a `match` that requires a
// design attribute to be anything but a number makes `scale` pointless: only points whose limits give
// every level absolutely would be judged.
function scaleIssues (rule: ThresholdRuleSpec, base: string): Issue[] {
  const scale = rule.scale
  if (scale === undefined) return []
  const issues: Issue[] = []
  for (const level of LEVELS) {
    const band = rule.levels[level]
    if ((scale.by ?? 'factor') === 'factor' && band !== undefined && band.at <= 0) {
      issues.push({ path: `${base}/levels/${level}/at`, message: `at ${band.at} must be a factor > 0 of attribute "${designAttribute(rule, level) ?? ''}" (scale)` })
    }
    if (scale.levels?.[level] !== undefined && band === undefined) {
      issues.push({ path: `${base}/scale/levels/${level}`, message: `names level "${level}", which this rule does not define`, atKey: true })
    }
  }
  const names = new Set([scale.attribute, ...Object.values(scale.levels ?? {})])
  for (const name of names) {
    const wanted = rule.match?.attributes?.[name]
    // {not: [...]} excludes values without fixing one ({not: [null]}: "the point has a design value")
    if (wanted === undefined || (wanted !== null && typeof wanted === 'object' && !Array.isArray(wanted))) continue
    const allowed = Array.isArray(wanted) ? wanted : [wanted]
    if (!allowed.some((v) => designNumber(v, scale.by ?? 'factor') !== null)) {
      issues.push({
        path: `${base}/match/attributes/${name}`,
        message: `requires attribute "${name}" to be ${JSON.stringify(wanted)}, but scale needs a design value (a number${(scale.by ?? 'factor') === 'factor' ? ' > 0' : ''}) there: only points whose limits give every level absolutely would be judged`,
        atKey: true
      })
    }
  }
  return issues
}
