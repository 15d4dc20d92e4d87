// The composite risk score of one site, from its open alarms: a pure function, explained in docs/risk.md.
//
// Each open alarm gets a weight w in 0..1: the weight of its level (a violation that meets a major-hazard
// clause counts as red) × its category factor (never a discount for a red alarm) × its handling factor ×
// (inactive factor, if its condition has ended). Further alarms of the same rule count less and less (× decay
// per rank), so ten CO points of one rule do not outweigh ten different hazards. The weights combine like
// independent probabilities, 1 − Π(1 − w), which never exceeds 1 and lets no single alarm be drowned. When
// active alarms come from two or more domains (rule modules) the result gets a bonus: that is the point of
// 跨领域综合预警. The level follows the score through thresholds with hysteresis, and is never below the
// highest level of an active alarm.
// A roll-up alarm (a rule of kind `rollup`: tailings.rollup.item / .site) restates its members' alarms at a
// group level, so it adds no weight and no domain: it only sets a floor at its own level, i.e. it adds exactly
// the amount by which its level's threshold exceeds what its members already score.
import { LEVELS, levelRank, type Level } from '../../contract/index.js'
import type { Contributor, RiskInput, RiskParams, RiskScore } from './types.js'

/**
 * DEFAULT_RISK_PARAMS: the level weights are calibrated so that, across different rules of one domain, four
 * blue alarms make yellow, three yellow make orange and two orange make red (the 4-3-2 roll-up of the
 * tailings online-monitoring codes); every other factor is a configurable default (unverified).
 */
export const DEFAULT_RISK_PARAMS: RiskParams = Object.freeze({
  levelWeight: Object.freeze({ blue: 0.03, yellow: 0.10, orange: 0.27, red: 0.50 }),
  categoryFactor: Object.freeze({ over_limit: 1, violation: 1, fault: 1, early_warning: 0.8 }),
  handlingFactor: Object.freeze({ open: 1, acknowledged: 0.8, dispatched: 0.6 }),
  inactiveFactor: 0.3,
  sameRuleDecay: 0.5,
  multiSourceBonus: 0.25,
  maxBonusDomains: 4,
  thresholds: Object.freeze({ blue: 0, yellow: 10, orange: 22, red: 45 }),
  hysteresis: 3
})

/** CONTRIBUTORS is how many of the heaviest alarms a score lists. */
export const CONTRIBUTORS = 5

// Rule modules that watch the monitoring system itself are one domain: a dead sensor and its silent point
// are one cause, not two sources of evidence.
const DOMAIN_ALIASES: Readonly<Record<string, string>> = Object.freeze({ connectivity: 'monitoring', device: 'monitoring', quality: 'monitoring' })

// A trend or prediction (trend.<quantity>.*) is more evidence about the quantity it watches, so it belongs to
// that quantity's domain: trend.co.rise next to gas.co.limit is one domain, not a multi-source signal.
const TREND_DOMAINS: ReadonlyArray<[RegExp, string]> = [
  [/^(co|co2|ch4|o2|h2s|no2|so2|nh3|smoke|combustible_lel)$/, 'gas'],
  [/^(phreatic|pool_level|dry_beach|freeboard|rainfall|seepage)/, 'tailings'],
  [/^(displacement|deep_displacement|crack)/, 'slope']
]

/** domainOf is the domain of a rule id: its first segment (gas, personnel, video, tailings, ...). */
export function domainOf (ruleId: string): string {
  const [head = ruleId, second = ''] = ruleId.split('.')
  if (head === 'trend') return TREND_DOMAINS.find(([re]) => re.test(second))?.[1] ?? head
  return DOMAIN_ALIASES[head] ?? head
}

/** countedLevel is the level an alarm counts at: a violation meeting a major-hazard clause is red. */
export function countedLevel (a: RiskInput): Level {
  return a.category === 'violation' && a.hazardClause !== null && a.hazardClause !== '' ? 'red' : a.level
}

/**
 * alarmWeight is one alarm's weight (0..1) before the same-rule decay. The category factor discounts a
 * prediction below red only: a red early warning (personnel.sos, the positioning standard's top-priority
 * alarm; a slope failure predicted within hours) calls for action now and counts in full.
 */
export function alarmWeight (a: RiskInput, p: RiskParams = DEFAULT_RISK_PARAMS): number {
  const handling = a.state === 'closed' ? 0 : p.handlingFactor[a.state]
  const level = countedLevel(a)
  const category = level === 'red' ? Math.max(1, p.categoryFactor[a.category]) : p.categoryFactor[a.category]
  return p.levelWeight[level] * category * handling * (a.active ? 1 : p.inactiveFactor)
}

/** NO_ROLLUPS: without a rule set, no alarm is taken for a roll-up. */
const NO_ROLLUPS: ReadonlySet<string> = new Set()

/**
 * scoreSite computes the risk of one site from its open alarms; `previous` is the level last published.
 * `rollups` holds the ids of the roll-up rules (kind `rollup` in the loaded rule set): their alarms only set
 * the floor, since their members are open alarms of their own and already carry the weight.
 */
export function scoreSite (alarms: Iterable<RiskInput>, previous: Level | null, p: RiskParams = DEFAULT_RISK_PARAMS, rollups: ReadonlySet<string> = NO_ROLLUPS): RiskScore {
  const open = [...alarms].filter((a) => a.state !== 'closed')
  if (open.length === 0) return { score: 0, level: null, contributors: [], domains: [], multiSource: false, floor: null, openAlarms: 0 }
  const members = open.filter((a) => !rollups.has(a.ruleId))
  const weighted = decayed(members, p)
  const combined = 1 - weighted.reduce((rest, { w }) => rest * (1 - Math.min(1, w)), 1)
  const domains = [...new Set(members.filter((a) => a.active).map((a) => domainOf(a.ruleId)))].sort()
  const multiSource = domains.length >= 2
  const bonus = multiSource ? 1 + p.multiSourceBonus * (Math.min(domains.length, p.maxBonusDomains) - 1) : 1
  const floor = highest(open.filter((a) => a.active).map(countedLevel))
  const score = round1(Math.max(Math.min(100, 100 * combined * bonus), floor === null ? 0 : p.thresholds[floor]))
  const level = highest([levelOf(score, previous, p), floor].filter((l): l is Level => l !== null)) ?? 'blue'
  const contributors = weighted.slice(0, CONTRIBUTORS).map(({ a, w }) => contributor(a, w))
  return { score, level, contributors, domains, multiSource, floor, openAlarms: open.length }
}

/**
 * levelOf maps a score to a level with hysteresis: a level above `previous` is entered at its threshold, the
 * previous level and those below it are kept down to threshold − hysteresis, so a score hovering around a
 * threshold does not make the level flap. Any open alarm is at least blue.
 */
export function levelOf (score: number, previous: Level | null, p: RiskParams = DEFAULT_RISK_PARAMS): Level {
  const held = previous === null ? -1 : levelRank(previous)
  for (let rank = LEVELS.length - 1; rank > 0; rank--) {
    const level = LEVELS[rank] as Level
    const at = p.thresholds[level] - (rank <= held ? p.hysteresis : 0)
    if (score >= at) return level
  }
  return 'blue'
}

// Weights, largest first, with the same-rule decay applied by rank within each rule.
function decayed (open: RiskInput[], p: RiskParams): Array<{ a: RiskInput, w: number }> {
  const byWeight = open.map((a) => ({ a, w: alarmWeight(a, p) })).sort((x, y) => (y.w - x.w) || x.a.alarmId.localeCompare(y.a.alarmId))
  const seen = new Map<string, number>()
  const out = byWeight.map(({ a, w }) => {
    const rank = seen.get(a.ruleId) ?? 0
    seen.set(a.ruleId, rank + 1)
    return { a, w: w * p.sameRuleDecay ** rank }
  })
  return out.sort((x, y) => (y.w - x.w) || x.a.alarmId.localeCompare(y.a.alarmId))
}

function contributor (a: RiskInput, w: number): Contributor {
  return {
    alarmId: a.alarmId,
    ruleId: a.ruleId,
    category: a.category,
    level: a.level,
    countedAs: countedLevel(a),
    domain: domainOf(a.ruleId),
    state: a.state as Contributor['state'],
    active: a.active,
    hazardClause: a.hazardClause,
    weight: round1(100 * w)
  }
}

function highest (levels: Level[]): Level | null {
  return levels.reduce<Level | null>((best, l) => best === null || levelRank(l) > levelRank(best) ? l : best, null)
}

function round1 (x: number): number {
  return Math.round(x * 10) / 10
}
