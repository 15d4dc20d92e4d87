// The personnel module: positioning rules PP-1..PP-8 and NM-5 (people underground while a main fan is
// stopped), over the positioning snapshots and SOS events of access standard section 4.
// Rule ids and defaults: rules/personnel.yaml. Kinds and fields: schema.ts.
import type { RuleModule } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { Issue } from '../../issue.js'
import { higher, type ModRule } from '../shared/condition.js'
import { createPersonnel } from './instance.js'
import { PERSONNEL_KINDS, PERSONNEL_SCHEMAS } from './schema.js'
import type { Level } from '../../../contract/index.js'

/** PERSONNEL is registered in src/4-evaluate/modules/index.ts. */
export const PERSONNEL: RuleModule = {
  name: 'personnel',
  kinds: PERSONNEL_SCHEMAS,
  issues: personnelIssues,
  create: createPersonnel
}

/** personnelIssues: an escalation must rank above the base level; a fan rule must say which points are fans. */
export function personnelIssues (def: RuleDef, base: string): Issue[] {
  const rule = def as ModRule
  const issues: Issue[] = []
  const esc = rule.escalate as { level: Level } | undefined
  const level = (rule.level as Level | undefined) ?? 'yellow'
  if (esc !== undefined && !higher(esc.level, level)) {
    issues.push({ path: `${base}/escalate/level`, message: `escalate.level "${esc.level}" must rank above level "${level}"` })
  }
  if (rule.kind === PERSONNEL_KINDS.fan && (rule.match?.quantity === undefined && rule.match?.points === undefined)) {
    issues.push({ path: `${base}/match`, message: 'a personnel_fan_stopped rule needs match.quantity or match.points to select the main fan status points' })
  }
  return issues
}
