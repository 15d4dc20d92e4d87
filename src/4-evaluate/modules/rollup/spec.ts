// The `rollup` rule kind as written: which conditions it counts (source rule ids, plus the common
// `match` on sites and points), how it groups them, and the counting steps. Schema and semantic checks.
import { LEVELS, levelRank, type Level } from '../../../contract/index.js'
import type { KindSchema } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { Issue } from '../../issue.js'
import { LEVEL } from '../shared/schema.js'

/** RollupStep says that `count` members at `from` count as one member at `to` (GB 51108: 4 blue → 1 yellow). */
export interface RollupStep {
  from: Level
  count: number
  to: Level
}

/** GroupBy is what members are grouped by: the point's `item` (subject item:<name>) or the whole site ('*'). */
export type GroupBy = 'item' | 'site'

/** RollupRule is a validated rule of kind `rollup`. */
export type RollupRule = RuleDef & {
  kind: 'rollup'
  /** rule ids whose conditions are counted; a trailing `*` matches a prefix (tailings.*) */
  sources: string[]
  groupBy: GroupBy
  steps: RollupStep[]
}

/** ROLLUP_SCHEMA is the schema of the kind's own fields. */
export const ROLLUP_SCHEMA: KindSchema = {
  required: ['sources', 'groupBy', 'steps'],
  properties: {
    sources: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[a-z0-9_.-]+\\*?$', maxLength: 129 }
    },
    groupBy: { type: 'string', enum: ['item', 'site'] },
    steps: {
      type: 'array',
      minItems: 1,
      maxItems: 3,
      items: {
        type: 'object',
        required: ['from', 'count', 'to'],
        additionalProperties: false,
        properties: { from: LEVEL, count: { type: 'integer', minimum: 1, maximum: 10000 }, to: LEVEL }
      }
    }
  }
}

/** rollupIssues checks what the schema cannot: each step goes up, and each level is counted by one step only. */
export function rollupIssues (rule: RuleDef, base: string): Issue[] {
  const r = rule as RollupRule
  const issues: Issue[] = []
  const seen = new Set<Level>()
  for (const [i, s] of r.steps.entries()) {
    if (levelRank(s.to) <= levelRank(s.from)) {
      issues.push({ path: `${base}/steps/${i}/to`, message: `step goes from ${s.from} to ${s.to}: "to" must be above "from"` })
    }
    if (seen.has(s.from)) issues.push({ path: `${base}/steps/${i}/from`, message: `a second step from ${s.from}: one step per level` })
    seen.add(s.from)
  }
  if (r.groupBy === 'site' && r.match !== undefined && hasPointFilter(r.match)) {
    issues.push({ path: `${base}/match`, message: 'groupBy site counts conditions of any subject: only match.siteKind applies, point filters would drop every non-point member', atKey: true })
  }
  return issues
}

/** hasPointFilter tells whether a match filters points (anything beyond siteKind). */
export function hasPointFilter (match: NonNullable<RuleDef['match']>): boolean {
  return Object.keys(match).some((k) => k !== 'siteKind')
}

/** sourceMatcher compiles a rule's `sources` patterns into a predicate on rule ids (never the rule itself). */
export function sourceMatcher (rule: RollupRule): (ruleId: string) => boolean {
  const exact = new Set(rule.sources.filter((p) => !p.endsWith('*')))
  const prefixes = rule.sources.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1))
  return (id) => id !== rule.id && (exact.has(id) || prefixes.some((p) => id.startsWith(p)))
}

/**
 * rollUp is the level of a group from the number of members at each level. The standard says members
 * "count as" one of the next level (4 blue points → item yellow, …, and 4 blue items count as 1 yellow
 * item "and so on"), so counting cascades: members at `from`, plus those carried up from below, count
 * as floor(n / count) members at `to`. The result is the highest level with at least one member, real
 * or carried: never below the highest member. A member counts at its own level only, but since carries
 * go up, 3 yellow points + 4 blue points are an orange item (the 4 blue count as a fourth yellow).
 */
export function rollUp (counts: Readonly<Record<Level, number>>, steps: readonly RollupStep[]): { level: Level | null, carried: Record<Level, number> } {
  const carried: Record<Level, number> = { blue: counts.blue, yellow: counts.yellow, orange: counts.orange, red: counts.red }
  for (const level of LEVELS) {
    const step = steps.find((s) => s.from === level)
    if (step !== undefined) carried[step.to] += Math.floor(carried[level] / step.count)
  }
  let level: Level | null = null
  for (const l of LEVELS) if (carried[l] > 0) level = l
  return { level, carried }
}
