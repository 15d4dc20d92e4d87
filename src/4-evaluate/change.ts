// Building ConditionChange values, and the context every evaluation shares.
import type { Level } from '../contract/index.js'
import type { ReadingRow } from '../contract/rows.js'
import type { Point, Site } from '../registry/types.js'
import type { ConditionChange, RuleRef } from './types.js'

/** EngineStats counts what the engine did since it started. */
export interface EngineStats {
  /** rule evaluations: one per (reading, rule instance), plus one per no-data check */
  evaluations: number
  /** readings skipped by at least one rule because their ts was not after the last one evaluated */
  outOfOrder: number
  /** condition changes emitted */
  changes: number
}

/** EvalContext is shared by the evaluations of one batch (or one periodic check). */
export interface EvalContext {
  /** scheduler time when the batch (or the check) started */
  now: number
  lateAfterMs: number
  emit: (c: ConditionChange) => void
  stats: EngineStats
}

/** Subject is the condition a change is about: its key, rule and site. */
export interface Subject {
  key: string
  ref: RuleRef
  site: Site
}

/** Decision is what an evaluation decided: the new level and why. */
export interface Decision {
  level: Level | null
  value: number | null
  limit: number | null
  eventTs: number
  late: boolean
  message: string
  /** event time the condition began, when earlier than eventTs (a dwell) */
  startedAt?: number
  /** the decisive reading, kept as evidence */
  row?: ReadingRow
}

/** conditionChange builds the engine's output value; `point` is undefined for a site condition. */
export function conditionChange (subject: Subject, point: Point | undefined, d: Decision): ConditionChange {
  const c: ConditionChange = {
    type: 'condition',
    key: subject.key,
    rule: subject.ref,
    siteCode: subject.site.code,
    points: point === undefined ? [] : [point.code],
    level: d.level,
    value: d.value,
    limit: d.limit,
    eventTs: d.eventTs,
    late: d.late,
    message: d.message
  }
  if (d.startedAt !== undefined) c.startedAt = d.startedAt
  if (d.row !== undefined) {
    c.evidence = [{ point: d.row.point, ts: d.row.ts, value: d.row.value, status: d.row.status }]
    c.receivedAt = d.row.receivedAt
  }
  return c
}
