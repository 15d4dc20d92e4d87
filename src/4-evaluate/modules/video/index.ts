// The video module: channel offline and online rate from heartbeats, AI recognition results as violation
// and fault conditions (AI-1..AI-3), production signs during a declared suspension (明停暗开) and camera
// tampering, over the video streams of access standard section 5. Rules and defaults: rules/video.yaml.
import type { Level } from '../../../contract/index.js'
import type { RuleModule } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { Issue } from '../../issue.js'
import { higher, type ModRule } from '../shared/condition.js'
import { createVideo } from './instance.js'
import { VIDEO_KINDS, VIDEO_SCHEMAS } from './schema.js'

/** VIDEO is registered in src/4-evaluate/modules/index.ts. */
export const VIDEO: RuleModule = {
  name: 'video',
  kinds: VIDEO_SCHEMAS,
  issues: videoIssues,
  create: createVideo
}

/** videoIssues: a tamper rule's repeat level must rank above its level. */
export function videoIssues (def: RuleDef, base: string): Issue[] {
  const rule = def as ModRule
  if (rule.kind !== VIDEO_KINDS.tamper) return []
  const repeat = rule.repeat as { level: Level } | undefined
  const level = (rule.level as Level | undefined) ?? 'yellow'
  if (repeat === undefined || higher(repeat.level, level)) return []
  return [{ path: `${base}/repeat/level`, message: `repeat.level "${repeat.level}" must rank above level "${level}"` }]
}
