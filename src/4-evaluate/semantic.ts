// Checks a schema cannot express (level order and release bands, durations, named levels, …): each rule
// kind's module has its own `issues`. Rule ids are checked for uniqueness across files by load-rules.ts,
// which sees every file.
import type { Issue } from './issue.js'
import type { RuleDef, RuleSpec } from './rule-file.js'
import { moduleOfKind } from './modules/index.js'

/** ruleIssues returns the semantic issues of one schema-valid rule whose JSON pointer is `base`. */
export function ruleIssues (rule: RuleSpec, base: string): Issue[] {
  return moduleOfKind(rule.kind)?.issues?.(rule as RuleDef, base) ?? []
}
