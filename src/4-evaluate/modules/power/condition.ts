// The condition plumbing the three power-module kinds share: a key's state lives in the engine's
// CompileEnv (so a recompile or a restart seeded from open alarms keeps its level), and a change is
// emitted only when the level really moves.
import type { Level } from '../../../contract/index.js'
import type { Site } from '../../../registry/types.js'
import { conditionChange, type Decision, type EvalContext } from '../../change.js'
import type { HealthRecord, KeyState } from '../../compiled.js'
import { ruleRef, type CompileEnv } from '../../compile.js'
import type { RuleDef } from '../../rule-file.js'
import type { ConditionChange, RuleRef } from '../../types.js'
import { hazardFor } from '../shared/condition.js'
import { guarded } from '../shared/guard.js'
import { conditionKey } from '../shared/keys.js'
import { stateOf } from '../shared/state.js'

/** Condition is one condition key of a power-module rule, bound to its site. */
export interface Condition {
  key: string
  ref: RuleRef
  site: Site
  state: KeyState
  health: HealthRecord
}

/**
 * condition binds `${rule.id}|${site}|${subject}` to its (possibly seeded) state. The rule's hazard clause
 * goes with it only on the site kinds of hazardSiteKind (a metal-mine criterion is not a coal mine's).
 */
export function condition (env: CompileEnv, rule: RuleDef, site: Site, subject: string): Condition {
  const key = conditionKey(rule.id, site.code, subject)
  const ref = ruleRef(rule)
  const clause = hazardFor(rule, site.kind)
  return { key, ref: clause === ref.hazardClause ? ref : { ...ref, hazardClause: clause }, site, state: stateOf(env, key), health: env.health.get(rule) }
}

/** Outcome is a decision without the lateness, which `move` works out from the context. */
export type Outcome = Omit<Decision, 'late' | 'level'> & { level: Level | null }

/**
 * move sets the condition to `d.level` and emits the change; nothing happens when the level is unchanged.
 * The conditions are about a site or a fan, not one point: the readings behind them go in `evidence`.
 */
export function move (c: Condition, d: Outcome, ctx: EvalContext, evidence?: ConditionChange['evidence']): void {
  if (c.state.level === d.level) return
  c.state.level = d.level
  const change = conditionChange(c, undefined, { ...d, late: ctx.now - d.eventTs > ctx.lateAfterMs })
  if (evidence !== undefined) change.evidence = evidence
  ctx.emit(change)
}

/** evaluate runs one evaluation of the condition's rule, counted and recorded in its health (shared/guard.ts). */
export function evaluate (c: Condition, ctx: EvalContext, fn: () => void): void {
  guarded(c.health, ctx, fn, { count: true })
}
