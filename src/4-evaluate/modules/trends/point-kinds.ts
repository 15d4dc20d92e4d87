// The machinery every per-point trend kind shares: binding rules to the points they match, feeding each
// bound point's readings to its evaluator, and turning the evaluator's judgement into level changes with
// the threshold kind's semantics (dwell, escalation, release bands). A kind only says how to judge a window.
import type { ReadingRow } from '../../../contract/rows.js'
import type { RegistryView } from '../../../registry/types.js'
import { conditionChange } from '../../change.js'
import { ruleRef } from '../../compile.js'
import { recordFailure } from '../../health.js'
import { SUPPRESS_MASK } from '../../steps/device-status.js'
import { stepThreshold, type ThresholdParams, type ThresholdStep } from '../../steps/threshold.js'
import { judgesValues, pointMatches, siteMatches } from '../../match.js'
import type { ModuleContext, ModuleEnv, RuleModule, RuleModuleInstance } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import { guarded } from '../shared/guard.js'
import { conditionKey } from '../shared/keys.js'
import { PointIndex, pushAt } from '../shared/point-index.js'
import type { PointInstance } from '../shared/bind-points.js'
import { stateOf } from '../shared/state.js'
import { levelText } from './text.js'
import type { Judgement, PointEvaluator, PointKind, SiteScope } from './kind.js'

export type { Judgement, PointEvaluator, PointKind, SiteScope } from './kind.js'

interface Bound extends PointInstance {
  params: ThresholdParams
  live: Live
}

// Per key, outliving rebinds while the rule, the point definition and what the kind reads of the site (its
// siteVersion) stay the same: the window of values.
interface Live {
  version: string
  evaluator: PointEvaluator
  /** newest reading taken: older or equal ones are duplicates or out of order */
  lastTs: number
}

/** pointKindsModule builds a rule module from per-point kinds. */
export function pointKindsModule (name: string, kinds: Record<string, PointKind>): RuleModule {
  return {
    name,
    kinds: Object.fromEntries(Object.entries(kinds).map(([k, d]) => [k, d.schema])),
    issues: (rule, base) => kinds[rule.kind]?.issues?.(rule, base) ?? [],
    create: (env) => instance(kinds, env)
  }
}

function instance (kinds: Record<string, PointKind>, { env, log }: ModuleEnv): RuleModuleInstance {
  let byPoint = new PointIndex<Bound[]>()
  let live = new Map<string, Live>()
  let scopes = new Map<string, SiteScope>()

  function bind (rules: readonly RuleDef[], registry: RegistryView): string[] {
    const next = new PointIndex<Bound[]>()
    const nextLive = new Map<string, Live>()
    const nextScopes = new Map<string, SiteScope>()
    for (const rule of rules) {
      const kind = kinds[rule.kind]
      if (kind === undefined) continue
      const ref = ruleRef(rule)
      const health = env.health.get(rule)
      const params = kind.params(rule)
      for (const site of registry.sites()) {
        if (!siteMatches(rule.match, site)) continue
        const scopeKey = `${rule.id}|${site.code}`
        const scope = scopes.get(scopeKey) ?? { shared: new Map() }
        nextScopes.set(scopeKey, scope)
        const siteVersion = kind.siteVersion?.(rule, site) ?? ''
        for (const point of registry.pointsOf(site.code)) {
          // a switch point holds 0 or 1: it has no trend, and its flat line is its normal state
          if (point.kind === 'switch' || !pointMatches(rule.match, point) || !judgesValues(rule.match, point)) continue
          const key = conditionKey(rule.id, site.code, point.code)
          const version = `${rule.ruleVersion}|${point.definedAt}|${JSON.stringify(point.attributes)}|${JSON.stringify(point.limits ?? {})}|${siteVersion}`
          let l = live.get(key)
          if (l === undefined || l.version !== version) {
            try {
              l = { version, evaluator: kind.make(rule, site, point, scope), lastTs: -Infinity }
            } catch (err) {
              // one point lacking a design value must not unbind the rule elsewhere
              recordFailure(health, err, env.now(), false)
              log.warn({ ruleId: rule.id, site: site.code, point: point.code, err }, 'rule not bound to point')
              continue
            }
          }
          nextLive.set(key, l)
          pushAt(next, site.code, point.code, { key, ref, health, state: stateOf(env, key), site, point, params, live: l })
        }
      }
    }
    byPoint = next
    live = nextLive
    scopes = nextScopes
    return [...live.keys()]
  }

  function readings (rows: readonly ReadingRow[], ctx: ModuleContext): void {
    byPoint.each(rows, (list, row) => { for (const b of list) run(b, row, ctx) })
  }

  return { bind, readings }
}

function run (b: Bound, row: ReadingRow, ctx: ModuleContext): void {
  const { live: l, state: s } = b
  if (row.ts <= l.lastTs) {
    ctx.stats.outOfOrder++
    return
  }
  l.lastTs = row.ts
  // calibration gas or a faulty sensor is not a measurement (DQ-2): keep it out of the window, and
  // restart a pending dwell, as threshold rules do
  if ((row.status & SUPPRESS_MASK) !== 0) {
    s.pendingSince = null
    s.pendingLevel = null
    return
  }
  const out: { j?: Judgement, step?: ThresholdStep | null } = {}
  guarded(b.health, ctx, () => {
    const j = l.evaluator.observe(row.ts, row.value)
    // readings up to the state's last decision (restored from an open alarm) fill the window only
    if (j === null || row.ts <= s.lastTs) return false
    s.lastTs = row.ts
    out.j = j
    out.step = stepThreshold(b.params, s, j.metric, row.ts)
  }, { count: true })
  const { j, step } = out
  if (j === undefined || step === undefined || step === null) return
  const late = ctx.now - row.ts > ctx.lateAfterMs
  const c = conditionChange(b, b.point, {
    level: step.to,
    value: j.value,
    limit: step.limit,
    eventTs: row.ts,
    late,
    message: `${j.text}${levelText(step)}`,
    row,
    ...(step.since === undefined ? {} : { startedAt: step.since })
  })
  if (j.predictedAt !== undefined && step.to !== null) c.predictedAt = j.predictedAt
  ctx.emit(c)
}
