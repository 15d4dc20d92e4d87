// What a backtest shows: each condition change as a line, a summary per rule (how often it raised, how
// high it went: the false-alarm count a rule author looks at), and the raises to compare with the alarms.
import { levelRank, type Category, type Level } from '../../contract/index.js'
import type { RuleDef } from '../../4-evaluate/rule-file.js'
import type { ReplayedChange } from './types.js'

/** ChangeLine is one condition change as the report lists it. */
export interface ChangeLine {
  /** event time of the change (epoch ms) */
  eventTs: number
  /** virtual time it was found at (a no-data condition: the check after the silence) */
  foundAt: number
  ruleId: string
  site: string
  /** the point(s), or the key's subject (area:A3, channel:V01), or '*' for the site */
  subject: string
  from: Level | null
  to: Level | null
  category: Category
  hazardClause: string | null
  message: string
  value: number | null
  limit: number | null
  key: string
}

/** RuleSummary is one rule's count over the range. */
export interface RuleSummary {
  ruleId: string
  category: Category
  /** changes from "does not hold" to a level: each would open (or re-raise) an alarm */
  raised: number
  /** all level changes, clears included */
  changes: number
  maxLevel: Level | null
  /** distinct subjects (points, areas …) raised */
  subjects: number
}

/** Raise is one change that opens an alarm: the unit of the comparison with the alarms actually raised. */
export interface Raise { key: string, ruleId: string, site: string, subject: string, eventTs: number, level: Level }

/** changeLines turns the replayed changes into report lines, in event-time order (emission order on ties). */
export function changeLines (changes: readonly ReplayedChange[]): ChangeLine[] {
  const lines = changes.map(({ change: c, previous, emittedAt }): ChangeLine => ({
    eventTs: c.eventTs,
    foundAt: emittedAt,
    ruleId: c.rule.ruleId,
    site: c.siteCode,
    subject: c.points.length > 0 ? c.points.join(',') : c.key.slice(c.key.lastIndexOf('|') + 1),
    from: previous,
    to: c.level,
    category: c.rule.category,
    hazardClause: c.rule.hazardClause,
    message: c.message,
    value: c.value,
    limit: c.limit,
    key: c.key
  }))
  // a no-data change is emitted at a later tick than readings of later event times: sort on event time
  return lines.sort((a, b) => a.eventTs - b.eventTs)
}

/** raisesOf lists the lines that open an alarm. */
export function raisesOf (lines: readonly ChangeLine[]): Raise[] {
  return lines.filter((l) => l.from === null && l.to !== null)
    .map((l) => ({ key: l.key, ruleId: l.ruleId, site: l.site, subject: l.subject, eventTs: l.eventTs, level: l.to as Level }))
}

/** summarize counts per rule of the rule set (rules that changed nothing included, with 0), by rule id. */
export function summarize (rules: readonly RuleDef[], lines: readonly ChangeLine[]): RuleSummary[] {
  const byRule = new Map<string, RuleSummary & { keys: Set<string> }>()
  const entry = (ruleId: string, category: Category): RuleSummary & { keys: Set<string> } => {
    let s = byRule.get(ruleId)
    if (s === undefined) byRule.set(ruleId, s = { ruleId, category, raised: 0, changes: 0, maxLevel: null, subjects: 0, keys: new Set() })
    return s
  }
  for (const r of rules) entry(r.id, r.category)
  for (const l of lines) {
    const s = entry(l.ruleId, l.category)
    s.changes++
    if (l.to === null) continue
    if (l.from === null) { s.raised++; s.keys.add(l.key) }
    if (s.maxLevel === null || levelRank(l.to) > levelRank(s.maxLevel)) s.maxLevel = l.to
  }
  return [...byRule.values()]
    .map(({ keys, ...s }) => ({ ...s, subjects: keys.size }))
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId))
}
