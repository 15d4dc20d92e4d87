// Binds device-status rules to every point they match: one instance per (rule, point), with the OR of
// the rule's bits.
import type { Level } from '../../../../contract/index.js'
import type { RegistryView } from '../../../../registry/types.js'
import type { CompileEnv } from '../../../compile.js'
import { ruleRef } from '../../../compile.js'
import type { DeviceStatusRuleDef, RuleDef } from '../../../rule-file.js'
import type { RuleRef } from '../../../types.js'
import { KeyRecorder, eachSiteRule, type PointInstance } from '../../shared/bind-points.js'
import { PointIndex, pushAt } from '../../shared/point-index.js'

/** DeviceInstance is a device-status rule bound to one point. */
export interface DeviceInstance extends PointInstance {
  /** OR of the rule's bits */
  mask: number
  level: Level
}

/** bindDevices binds the device-status rules among `rules` to the registry's points. */
export function bindDevices (rules: readonly RuleDef[], registry: RegistryView, env: CompileEnv): { byPoint: PointIndex<DeviceInstance[]>, keys: Set<string> } {
  const byPoint = new PointIndex<DeviceInstance[]>()
  const recorder = new KeyRecorder(env)
  const own = rules.filter((r): r is DeviceStatusRuleDef => r.kind === 'device_status')
  const refs = new Map(own.map((r) => [r.id, ruleRef(r)]))
  eachSiteRule(own, registry, (rule, site, points) => {
    const ref = refs.get(rule.id) as RuleRef
    const health = env.health.get(rule)
    const mask = rule.bits.reduce((m, b) => m | b, 0)
    for (const point of points) {
      const key = `${rule.id}|${site.code}|${point.code}`
      pushAt(byPoint, site.code, point.code, { key, ref, health, state: recorder.state(key), site, point, mask, level: rule.level })
    }
  })
  return { byPoint, keys: recorder.keys }
}
