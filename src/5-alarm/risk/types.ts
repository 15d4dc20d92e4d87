// Composite site risk (多源信息融合, 跨领域综合预警): the inputs the score reads from each open alarm, the
// tunable parameters, and what the score and the published change look like. Formula: docs/risk.md.
import type { Category, HandlingState, Level, TransitionName } from '../../contract/index.js'
import type { Alarm } from '../types.js'

/** RiskInput is the part of an open alarm the score reads. */
export type RiskInput = Pick<Alarm, 'alarmId' | 'ruleId' | 'category' | 'level' | 'active' | 'state' | 'hazardClause'>

/** RiskParams are the weights and thresholds of the score (defaults in score.ts, documented in docs/risk.md). */
export interface RiskParams {
  /** weight (0..1) of one open, active, unhandled alarm of each level */
  levelWeight: Readonly<Record<Level, number>>
  /** factor per category: a prediction counts less than a fact */
  categoryFactor: Readonly<Record<Category, number>>
  /** factor per handling state; never 0, since handling does not remove the condition */
  handlingFactor: Readonly<Record<Exclude<HandlingState, 'closed'>, number>>
  /** factor of an alarm whose condition no longer holds but that no operator has closed yet */
  inactiveFactor: number
  /** each further alarm of the same rule counts this fraction of the one before (diminishing returns) */
  sameRuleDecay: number
  /** score bonus per additional domain with an active alarm (0.25: +25 % for two domains) */
  multiSourceBonus: number
  /** at most this many domains earn the bonus */
  maxBonusDomains: number
  /** score (0..100) from which each level is entered */
  thresholds: Readonly<Record<Level, number>>
  /** points below its threshold the score must fall before a level is left (hysteresis) */
  hysteresis: number
}

/** Contributor is one alarm's share of the score. */
export interface Contributor {
  alarmId: string
  ruleId: string
  category: Category
  level: Level
  /** the level the score counts it at: red for a violation that meets a major-hazard clause */
  countedAs: Level
  domain: string
  state: Exclude<HandlingState, 'closed'>
  active: boolean
  hazardClause: string | null
  /** this alarm's weight after every factor, in score points (0..100) */
  weight: number
}

/** RiskScore is the composite risk of one site. */
export interface RiskScore {
  /** 0..100, one decimal; 0 without open alarms */
  score: number
  /** null: no open alarm at the site */
  level: Level | null
  /** the open alarms with the largest weights, largest first */
  contributors: Contributor[]
  /** domains (rule modules) with an active alarm, sorted */
  domains: string[]
  /** whether the multi-source bonus applied (active alarms from two or more domains) */
  multiSource: boolean
  /** the level no score may go below: the highest level among active alarms (as counted) */
  floor: Level | null
  openAlarms: number
}

/** RiskChange is one published change of a site's risk (schemas/risk-message.json). */
export interface RiskChange extends RiskScore {
  siteCode: string
  /** grows per site, also across restarts (never below the clock in ms); the Nats-Msg-Id is risk:<site>:<seq> */
  seq: number
  previousLevel: Level | null
  previousScore: number
  /** server time of the decision (epoch ms) */
  changedAt: number
  /** the alarm transition that caused it, or null for the state rebuilt at start */
  cause: { alarmId: string, seq: number, transition: TransitionName } | null
}
