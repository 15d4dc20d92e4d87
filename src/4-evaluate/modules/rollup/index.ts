// The roll-up module (TP-6, GB 51108 warning aggregation): kind `rollup` counts the open conditions of
// other rules by level within a group — the points of one monitoring item (subject item:<name>) or the
// whole site (subject '*') — and raises the group's level: the highest member level, or higher where
// the count says so (4 blue points → item yellow, 3 yellow → orange, 2 orange → red). Generic: any rule
// set can roll up, chosen by source rule ids and `match`; a site roll-up over item roll-ups counts items.
import type { RuleModule } from '../../module.js'
import { createRollup } from './instance.js'
import { ROLLUP_SCHEMA, rollupIssues } from './spec.js'

/** ROLLUP is the roll-up rule module. */
export const ROLLUP: RuleModule = {
  name: 'rollup',
  kinds: { rollup: ROLLUP_SCHEMA },
  issues: rollupIssues,
  create: createRollup
}
