// The condition plumbing the three power-module kinds share: a key's state lives in the engine's
// CompileEnv (so a recompile or a restart seeded from open alarms keeps its level), and a change is
// emitted only when the level really moves.
import type { Level } from '../../../contract/index.js'
import type { Site } from '../../../registry/types.js'
import { conditionChange, type Decision, type EvalContext } from '../../change.js'
import { newKeyState, type HealthRecord, type KeyState } from '../../compiled.js'
import { ruleRef, type CompileEnv } from '../../compile.js'
import { recordFailure, recordSuccess } from '../../health.js'
import type { RuleDef } from '../../rule-file.js'
import type { ConditionChange, RuleRef } from '../../types.js'

/** Condition is one condition key of a power-module rule, bound to its site. */
export interface Condition {
  key: string
  ref: RuleRef
  site: Site
  state: KeyState
  health: HealthRecord
}

/** condition binds `${rule.id}|${site}|${subject}` to its (possibly seeded) state. */
export function condition (env: CompileEnv, rule: RuleDef, site: Site, subject: string): Condition {
  const key = `${rule.id}|${site.code}|${subject}`
  let state = env.states.get(key)
  if (state === undefined) env.states.set(key, state = newKeyState())
  return { key, ref: ruleRef(rule), site, state, health: env.health.get(rule) }
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

/** guarded runs one evaluation of a rule, recording it in the rule's health; a throw harms no other rule. */
export function guarded (c: Condition, ctx: EvalContext, fn: () => void): void {
  ctx.stats.evaluations++
  try {
    fn()
    recordSuccess(c.health)
  } catch (err) {
    recordFailure(c.health, err, ctx.now)
  }
}
