// Binding per-point rules, as the per-point kinds (threshold, device status, no data) do it: site by site,
// and at each site rule by rule in the rule set's order, so a point's instances run in rule order and the
// periodic checks visit sites in registry order.
import type { ReadingRow } from '../../../contract/rows.js'
import type { Point, RegistryView, Site } from '../../../registry/types.js'
import type { EvalContext } from '../../change.js'
import type { CompileEnv } from '../../compile.js'
import type { HealthRecord, KeyState } from '../../compiled.js'
import type { RuleRef } from '../../types.js'
import { pointMatches, siteMatches } from '../../match.js'
import type { RuleDef } from '../../rule-file.js'
import { stateOf } from './state.js'

/** PointInstance is what every per-point rule keeps once bound to a point. */
export interface PointInstance {
  /** `${ruleId}|${siteCode}|${pointCode}` */
  key: string
  ref: RuleRef
  health: HealthRecord
  state: KeyState
  site: Site
  point: Point
}

/**
 * admitReading is false for a reading not newer than the key's last one (a resend or out of order: it never
 * re-raises); otherwise the reading becomes the key's last and counts as one evaluation.
 */
export function admitReading (state: KeyState, row: ReadingRow, ctx: EvalContext): boolean {
  if (row.ts <= state.lastTs) return false
  state.lastTs = row.ts
  ctx.stats.evaluations++
  return true
}

/**
 * eachSiteRule calls fn for every site that has points and every rule that matches the site, with the
 * site's points the rule matches (possibly none).
 */
export function eachSiteRule<R extends RuleDef> (rules: readonly R[], registry: RegistryView, fn: (rule: R, site: Site, points: Point[]) => void): void {
  for (const site of registry.sites()) {
    const points = registry.pointsOf(site.code)
    if (points.length === 0) continue
    for (const rule of rules) {
      if (siteMatches(rule.match, site)) fn(rule, site, points.filter((p) => pointMatches(rule.match, p)))
    }
  }
}

/** KeyRecorder hands out condition states and remembers every key it handed out (what `bind` returns). */
export class KeyRecorder {
  readonly keys = new Set<string>()
  constructor (private readonly env: CompileEnv) {}

  state (key: string): KeyState {
    this.keys.add(key)
    return stateOf(this.env, key)
  }
}
