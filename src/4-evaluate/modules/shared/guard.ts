// One rule's evaluation failing is recorded in that rule's health (Prometheus' rules page) and stops
// nothing else: not the rule on other points, not the other rules, not the module.
import type { EvalContext } from '../../change.js'
import type { HealthRecord } from '../../compiled.js'
import { recordFailure, recordSuccess } from '../../health.js'

/** GuardOptions: whether the evaluation counts in the engine's stats, and what else to do with an error. */
export interface GuardOptions {
  /** count the evaluation in ctx.stats (the kinds judged per reading do, as the core kinds) */
  count?: boolean
  onError?: (err: unknown) => void
}

/**
 * guarded runs fn as one evaluation of a rule and records it in the rule's health. fn returns false when
 * it found nothing to evaluate (a window not ready yet, a replayed reading): then nothing is recorded.
 * The result is true when an evaluation completed.
 */
export function guarded (health: HealthRecord, ctx: EvalContext, fn: () => boolean | undefined | void, opts: GuardOptions = {}): boolean {
  try {
    if (fn() === false) return false
    if (opts.count === true) ctx.stats.evaluations++
    recordSuccess(health)
    return true
  } catch (err) {
    if (opts.count === true) ctx.stats.evaluations++
    recordFailure(health, err, ctx.now)
    opts.onError?.(err)
    return false
  }
}
