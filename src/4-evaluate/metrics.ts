// Engine metrics: evaluations and skipped readings (from the engine's own counters), rule-file errors,
// and condition changes the alarm service could not apply.
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Engine } from './engine.js'

/** EngineMetrics are the engine plugin's instruments. */
export interface EngineMetrics {
  loadErrors: Gauge
  conditionFailures: Counter
  /** sync moves the engine's running totals into the counters */
  sync: () => void
}

/** createEngineMetrics registers the engine metrics on `registry`, reading totals from `engine`. */
export function createEngineMetrics (registry: Registry, engine: Engine): EngineMetrics {
  const evaluations = new Counter({ name: 'minewatch_engine_evaluations_total', help: 'Rule evaluations (one per reading and rule instance, and per no-data check).', registers: [registry] })
  const outOfOrder = new Counter({ name: 'minewatch_engine_out_of_order_total', help: 'Readings not evaluated because they were not newer than the last one evaluated (resends, out-of-order data).', registers: [registry] })
  const changes = new Counter({ name: 'minewatch_engine_condition_changes_total', help: 'Condition level changes emitted by the engine.', registers: [registry] })
  let last = engine.stats()
  return {
    loadErrors: new Gauge({ name: 'minewatch_rules_load_errors', help: 'Errors in the rule files at the last load.', registers: [registry] }),
    conditionFailures: new Counter({ name: 'minewatch_engine_condition_failures_total', help: 'Condition changes the alarm service could not apply.', registers: [registry] }),
    sync () {
      const now = engine.stats()
      evaluations.inc(now.evaluations - last.evaluations)
      outOfOrder.inc(now.outOfOrder - last.outOfOrder)
      changes.inc(now.changes - last.changes)
      last = now
    }
  }
}
