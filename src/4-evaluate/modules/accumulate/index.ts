// The accumulation module: kind `window_sum` judges the sum of a point's readings over sliding
// event-time windows (TP-4: rainfall ≥ 50 mm in 24 h or ≥ 30 mm in 12 h), for points that report the
// amount of each reporting period (a rain gauge's mm per interval), with threshold levels per window.
import type { RuleModule } from '../../module.js'
import { createWindowSum } from './instance.js'
import { WINDOW_SUM_SCHEMA, windowSumIssues } from './spec.js'

/** ACCUMULATE is the window-sum rule module. */
export const ACCUMULATE: RuleModule = {
  name: 'accumulate',
  kinds: { window_sum: WINDOW_SUM_SCHEMA },
  issues: windowSumIssues,
  create: createWindowSum
}
