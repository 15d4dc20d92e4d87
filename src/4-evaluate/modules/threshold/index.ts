// The threshold module: kind `threshold` raises a level when a point's value reaches the level's `at`
// (after the dwell `for`) and clears it once the value is back beyond its `release` (kinds/threshold.ts).
// Judged reading by reading, on the hot path.
import type { ReadingRow } from '../../../contract/rows.js'
import type { RegistryView } from '../../../registry/types.js'
import type { ModuleContext, ModuleEnv, RuleModule, RuleModuleInstance } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import { PointIndex } from '../shared/point-index.js'
import { bindThresholds, type ThresholdInstance } from './bind.js'
import { thresholdIssues } from './issues.js'
import { runThresholds } from './run.js'
import { THRESHOLD_SCHEMA } from './schema.js'

/** THRESHOLD is the rule module of the kind threshold. */
export const THRESHOLD: RuleModule = {
  name: 'threshold',
  kinds: { threshold: THRESHOLD_SCHEMA },
  issues: thresholdIssues,
  create: createThreshold
}

function createThreshold ({ env, log }: ModuleEnv): RuleModuleInstance {
  let byPoint = new PointIndex<ThresholdInstance[]>()
  return {
    bind (rules: readonly RuleDef[], registry: RegistryView): Iterable<string> {
      const bound = bindThresholds(rules, registry, env, log)
      byPoint = bound.byPoint
      return bound.keys
    },
    reading (row: ReadingRow, ctx: ModuleContext): boolean {
      const list = byPoint.get(row.site, row.point)
      return list !== undefined && runThresholds(list, row, ctx)
    }
  }
}
