// What the rule engine emits: a condition on one point (or one site) changed level.
import type { Category, Level } from '../contract/index.js'

/** RuleRef is what an alarm records about the rule that produced it. */
export interface RuleRef {
  ruleId: string
  /** content hash of the rule definition, so an alarm names exactly which version raised it */
  ruleVersion: string
  category: Category
  title: string
  /** the standard and clause the rule cites, or "configurable default" */
  source: string
  /** major-hazard clause (重大事故隐患判定标准) when the condition matches one, else null */
  hazardClause: string | null
}

/**
 * ConditionChange says that the condition identified by `key` now stands at `level`
 * (null: the condition no longer holds). The engine emits one only when the level changes.
 */
export interface ConditionChange {
  type: 'condition'
  /** `${ruleId}|${siteCode}|${pointCode or '*'}`: one open alarm per key */
  key: string
  rule: RuleRef
  siteCode: string
  points: string[]
  level: Level | null
  /** the value that decided the change, and the threshold it crossed (null where none applies) */
  value: number | null
  limit: number | null
  /** event time of the decisive reading (or, for no-data, the time the silence was established) */
  eventTs: number
  /** true when decided from data older than the lateness bound (backfill after an outage) */
  late: boolean
  /** human text in Chinese for the duty room, e.g. "CO-101 (-200m 主运输巷) CO 31 ppm ≥ 24 ppm" */
  message: string
  /** event time the condition began (first reading of the dwell); eventTs when absent */
  startedAt?: number
  /** arrival time of the decisive reading (epoch ms), for the ingest-to-publish latency */
  receivedAt?: number
  /** recent readings behind the decision, kept as evidence */
  evidence?: Array<{ point: string, ts: number, value: number, status: number }>
  /** evidence that is not a reading, e.g. the snapshot an AI video event refers to (kept with the alarm) */
  attachments?: Attachment[]
  /** a forecast's predicted event time (epoch ms), e.g. the failure time of the inverse-velocity rule (SL-2) */
  predictedAt?: number
}

/** Attachment refers to evidence kept outside minewatch: an AI recognition result and its snapshot image. */
export interface Attachment {
  kind: 'video'
  site: string
  channel: string
  /** the AI event type, e.g. no_helmet */
  type: string
  /** event time (epoch ms) */
  ts: number
  confidence?: number
  count?: number
  /** hex sha256 of the snapshot image, so the image fetched from url can be verified */
  sha256?: string
  url?: string
}

/** RuleHealth is the per-rule health shown on GET /v1/rules, like Prometheus' rules page. */
export interface RuleHealth {
  ruleId: string
  /** the version of the rule this health is about; it starts afresh when the rule changes */
  ruleVersion?: string
  health: 'ok' | 'err' | 'unknown'
  lastError?: string
  lastErrorAt?: number
  evaluations: number
  failures: number
}
