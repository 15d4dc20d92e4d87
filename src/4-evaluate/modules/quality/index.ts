// The data-quality module: kinds about whether the data can be believed rather than what it says. `frozen`
// (DQ-6) binds each rule to the points it matches, grouped into neighbourhoods, and judges every reading.
import type { ReadingRow } from '../../../contract/rows.js'
import type { RegistryView } from '../../../registry/types.js'
import { conditionChange } from '../../change.js'
import { ruleRef } from '../../compile.js'
import type { HealthRecord, KeyState } from '../../compiled.js'
import { SUPPRESS_MASK } from '../../steps/device-status.js'
import { pointMatches, siteMatches } from '../../match.js'
import type { ModuleContext, ModuleEnv, RuleModule, RuleModuleInstance } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { RuleRef } from '../../types.js'
import type { Site } from '../../../registry/types.js'
import { guarded } from '../shared/guard.js'
import { conditionKey } from '../shared/keys.js'
import { PointIndex, pushAt } from '../shared/point-index.js'
import { DURATION, LEVEL, durationMsOf, positiveDurationIssues } from '../shared/schema.js'
import { stateOf } from '../shared/state.js'
import { frozenMessage, groupKey, newTrack, stepFrozen, type FrozenRule, type FrozenStep, type FrozenTrack } from './frozen.js'

interface Bound {
  key: string
  ref: RuleRef
  health: HealthRecord
  state: KeyState
  site: Site
  track: FrozenTrack
  params: { forMs: number, minNeighbours: number, epsilon: number, level: FrozenRule['level'] }
}

/** QUALITY is the rule module of the kind frozen. */
export const QUALITY: RuleModule = {
  name: 'quality',
  kinds: {
    frozen: {
      required: ['for', 'minNeighbours', 'level'],
      properties: {
        for: DURATION,
        minNeighbours: { type: 'integer', minimum: 1, maximum: 1000 },
        epsilon: { type: 'number', minimum: 0 },
        neighbourhood: { type: 'string', enum: ['site', 'area', 'item'] },
        level: LEVEL
      }
    }
  },
  issues: (rule, base) => positiveDurationIssues(rule, ['for'], base),
  create: (env) => instance(env)
}

function instance ({ env }: ModuleEnv): RuleModuleInstance {
  let byPoint = new PointIndex<Bound[]>()
  let tracks = new Map<string, { version: string, track: FrozenTrack }>()

  function bind (rules: readonly RuleDef[], registry: RegistryView): string[] {
    const next = new PointIndex<Bound[]>()
    const nextTracks = new Map<string, { version: string, track: FrozenTrack }>()
    const groups = new Map<string, FrozenTrack[]>()
    for (const rule of rules) {
      if (rule.kind !== 'frozen') continue
      const r = rule as unknown as FrozenRule
      const ref = ruleRef(rule)
      const health = env.health.get(rule)
      const params = { forMs: durationMsOf(r.for), minNeighbours: r.minNeighbours, epsilon: r.epsilon ?? 0, level: r.level }
      for (const site of registry.sites()) {
        if (!siteMatches(rule.match, site)) continue
        for (const point of registry.pointsOf(site.code)) {
          // a switch point holds one state for hours as a matter of course
          if (point.kind === 'switch' || !pointMatches(rule.match, point)) continue
          const key = conditionKey(rule.id, site.code, point.code)
          const version = `${rule.ruleVersion}|${point.definedAt}|${point.quantity}|${point.area ?? ''}|${point.item ?? ''}|${String(point.range)}`
          let t = tracks.get(key)
          if (t === undefined || t.version !== version) t = { version, track: newTrack(point) }
          nextTracks.set(key, t)
          const gk = groupKey(rule.id, site, point, r.neighbourhood)
          const group = groups.get(gk) ?? []
          groups.set(gk, group)
          group.push(t.track)
          t.track.group = group
          pushAt(next, site.code, point.code, { key, ref, health, state: stateOf(env, key), site, track: t.track, params })
        }
      }
    }
    byPoint = next
    tracks = nextTracks
    return [...tracks.keys()]
  }

  function readings (rows: readonly ReadingRow[], ctx: ModuleContext): void {
    byPoint.each(rows, (list, row) => { for (const b of list) run(b, row, ctx) })
  }

  return { bind, readings }
}

function run (b: Bound, row: ReadingRow, ctx: ModuleContext): void {
  const t = b.track
  if (row.ts <= t.lastTs) {
    ctx.stats.outOfOrder++
    return
  }
  t.lastTs = row.ts
  // calibration gas is not the sensor's reading of the air, neither a change nor a repetition (DQ-2)
  if ((row.status & SUPPRESS_MASK) !== 0) return
  // a replay of readings decided before a restart only tracks the run: it is no evaluation
  const decide = row.ts > b.state.lastTs
  if (decide) b.state.lastTs = row.ts
  const out: { step?: FrozenStep | null } = {}
  guarded(b.health, ctx, () => {
    out.step = stepFrozen(t, b.state, b.params, row.ts, row.value, decide)
    return decide
  }, { count: true })
  const step = out.step
  if (step === undefined || step === null) return
  const message = frozenMessage(t, step, row.ts, row.value)
  ctx.emit(conditionChange(b, t.point, {
    level: step.to,
    value: row.value,
    limit: null,
    eventTs: row.ts,
    late: ctx.now - row.ts > ctx.lateAfterMs,
    message,
    row,
    ...(step.to === null ? {} : { startedAt: step.since })
  }))
}
