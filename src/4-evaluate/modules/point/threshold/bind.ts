// Binds threshold rules to the points they judge, with effective levels (the rule's bands after each
// point's limits and design values, effective-levels.ts).
import { levelRank } from '../../../../contract/index.js'
import { parseDuration } from '../../../../lib/duration.js'
import type { Point, RegistryView, Site } from '../../../../registry/types.js'
import type { CompileEnv } from '../../../compile.js'
import { ruleRef } from '../../../compile.js'
import type { EffectiveLevel } from '../../../compiled.js'
import { designValues, effectiveLevels } from '../../../effective-levels.js'
import { recordFailure } from '../../../health.js'
import { judgesValues } from '../../../match.js'
import type { Direction, RuleDef, ThresholdRuleDef } from '../../../rule-file.js'
import type { RuleRef } from '../../../types.js'
import { KeyRecorder, eachSiteRule, type PointInstance } from '../../shared/bind-points.js'
import { PointIndex, pushAt } from '../../shared/point-index.js'
import type { Log } from '../../../../lib/log.js'

/** ThresholdInstance is a threshold rule bound to one point with effective levels. */
export interface ThresholdInstance extends PointInstance {
  direction: Direction
  forMs: number
  /** present levels, lowest first */
  levels: EffectiveLevel[]
  /** with the rule's hazardLevel: the rank below which changes carry `ref` (hazardClause null) instead */
  belowHazard: { rank: number, ref: RuleRef } | null
}

/** BoundThresholds is the threshold rules bound to the registry: by point, plus every key in use. */
export interface BoundThresholds {
  byPoint: PointIndex<ThresholdInstance[]>
  keys: Set<string>
}

/** bindThresholds binds the threshold rules among `rules` to every point of the registry they judge. */
export function bindThresholds (rules: readonly RuleDef[], registry: RegistryView, env: CompileEnv, log?: Log): BoundThresholds {
  const byPoint = new PointIndex<ThresholdInstance[]>()
  const recorder = new KeyRecorder(env)
  const own = rules.filter((r): r is ThresholdRuleDef => r.kind === 'threshold')
  const refs = new Map(own.map((r) => [r.id, ruleRef(r)]))
  eachSiteRule(own, registry, (rule, site, points) => {
    for (const point of points) {
      // one bad point definition (say, a limit that breaks the levels) must not unbind the rule elsewhere
      try {
        const inst = bindPoint(rule, refs.get(rule.id) as RuleRef, site, point, env, recorder)
        if (inst !== null) pushAt(byPoint, site.code, point.code, inst)
      } catch (err) {
        recordFailure(env.health.get(rule), err, env.now(), false)
        log?.warn({ ruleId: rule.id, site: site.code, point: point.code, err }, 'rule not bound to point')
      }
    }
  })
  return { byPoint, keys: recorder.keys }
}

// Built as a full object literal, never by spreading a shared base: V8 gives spread copies a slow shape
// once there are a few hundred of them (measured: 20× slower per evaluation).
function bindPoint (rule: ThresholdRuleDef, ref: RuleRef, site: Site, point: Point, env: CompileEnv, recorder: KeyRecorder): ThresholdInstance | null {
  const key = `${rule.id}|${site.code}|${point.code}`
  const health = env.health.get(rule)
  // the key is in use even where the rule does not bind (yet): a pending dwell survives a registry edit
  const state = recorder.state(key)
  if (!judgesValues(rule.match, point)) return null
  const forMs = parseDuration(rule.for ?? '0s', { bare: 'ms' })
  // a rule with `scale` needs, for every level, the point's design value or an absolute limit: with
  // neither designValues throws and the rule is not bound to this point (the caller records why in the
  // rule's health and logs a warning)
  const levels = effectiveLevels(rule, point.limits, designValues(rule, point))
  const belowHazard = rule.hazardLevel === undefined ? null : { rank: levelRank(rule.hazardLevel), ref: { ...ref, hazardClause: null } }
  return { key, ref, health, state, site, point, direction: rule.direction, forMs, levels, belowHazard }
}
