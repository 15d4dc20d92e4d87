// What the engine and its rule modules share about bound rules: each condition's mutable state, held by
// direct reference in the instances a module binds, so the hot path does no lookup per rule.
import type { Level } from '../contract/index.js'
import type { RuleHealth } from './types.js'

/** KeyState is the evaluation state of one condition key; it survives recompiles (kept by key). */
export interface KeyState {
  /** level the condition stands at, null when it does not hold */
  level: Level | null
  /** event time of the last reading evaluated for this key: older or equal ones are skipped */
  lastTs: number
  /** event time since which a candidate level has held without firing yet (threshold dwell) */
  pendingSince: number | null
  /** the candidate level while pending */
  pendingLevel: Level | null
}

/** HealthRecord is a rule's mutable health, shared by all of its instances. */
export interface HealthRecord extends RuleHealth {
  ruleVersion: string
}

/** EffectiveLevel is one level of a threshold rule on one point, after the point's limits. */
export interface EffectiveLevel {
  level: Level
  at: number
  release: number
}

/** newKeyState is the state of a condition that does not hold and has seen nothing. */
export function newKeyState (): KeyState {
  return { level: null, lastTs: -Infinity, pendingSince: null, pendingLevel: null }
}
