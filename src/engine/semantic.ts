// Checks a schema cannot express: level order and release bands, durations, named levels.
// Rule ids are checked for uniqueness across files by load-rules.ts, which sees every file; the kinds of
// rule modules are checked by their module's own `issues`.
import { LEVELS, type Level } from '../contract/index.js'
import { parseDuration } from '../lib/time.js'
import type { Issue } from './schema-check.js'
import { isCoreRule, type RuleDef, type RuleSpec, type ThresholdRuleSpec } from './rule-file.js'
import { moduleOfKind } from './modules/index.js'

/** ruleIssues returns the semantic issues of one schema-valid rule whose JSON pointer is `base`. */
export function ruleIssues (rule: RuleSpec, base: string): Issue[] {
  if (!isCoreRule(rule)) return moduleOfKind(rule.kind)?.issues?.(rule as RuleDef, base) ?? []
  if (rule.kind !== 'threshold') return []
  return [...durationIssues(rule, base), ...bandIssues(rule, base), ...namedLevelIssues(rule, base)]
}

function durationIssues (rule: ThresholdRuleSpec, base: string): Issue[] {
  if (rule.for === undefined) return []
  // a bare number would silently mean milliseconds: demand a unit so "10" is not read as 10 ms
  if (/^\s*\d+(\.\d+)?\s*$/.test(rule.for)) {
    return [{ path: `${base}/for`, message: `duration "${rule.for}" needs a unit (ms, s, m, h, d)` }]
  }
  try {
    parseDuration(rule.for)
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
    if (prev !== undefined && (upper ? band.at <= prev.at : band.at >= prev.at)) {
      const side = upper ? 'above' : 'below'
      issues.push({ path: `${where}/at`, message: `at ${band.at} must be ${side} ${prev.level}'s at ${prev.at} for ${kind} rule` })
    }
    prev = { level, at: band.at }
  }
  return issues
}

function namedLevelIssues (rule: ThresholdRuleSpec, base: string): Issue[] {
  const issues: Issue[] = []
  for (const field of ['alarmLevel', 'cutLevel'] as const) {
    const level = rule[field]
    if (level !== undefined && rule.levels[level] === undefined) {
      issues.push({ path: `${base}/${field}`, message: `names level "${level}", which this rule does not define` })
    }
  }
  return issues
}
