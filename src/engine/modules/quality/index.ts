// The data-quality module: kinds about whether the data can be believed rather than what it says. `frozen`
// (DQ-6) binds each rule to the points it matches, grouped into neighbourhoods, and judges every reading.
import type { ReadingRow } from '../../../ingest/types.js'
import type { RegistryView } from '../../../registry/types.js'
import { conditionChange } from '../../change.js'
import { ruleRef } from '../../compile.js'
import { newKeyState, type HealthRecord, type KeyState } from '../../compiled.js'
import { recordFailure, recordSuccess } from '../../health.js'
import { SUPPRESS_MASK } from '../../kinds/device-status.js'
import { pointMatches, siteMatches } from '../../match.js'
import type { ModuleContext, ModuleEnv, RuleModule, RuleModuleInstance } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { RuleRef } from '../../types.js'
import type { Site } from '../../../registry/types.js'
import { SCHEMA, durationMsOf, positiveDurationIssues } from '../trends/levels.js'
import { frozenMessage, groupKey, newTrack, stepFrozen, type FrozenRule, type FrozenTrack } from './frozen.js'

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
        for: SCHEMA.duration,
        minNeighbours: { type: 'integer', minimum: 1, maximum: 1000 },
        epsilon: { type: 'number', minimum: 0 },
        neighbourhood: { type: 'string', enum: ['site', 'area', 'item'] },
        level: SCHEMA.level
      }
    }
  },
  issues: (rule, base) => positiveDurationIssues(rule, ['for'], base),
  create: (env) => instance(env)
}

function instance ({ env }: ModuleEnv): RuleModuleInstance {
  let byPoint = new Map<string, Bound[]>()
  let tracks = new Map<string, { version: string, track: FrozenTrack }>()

  function bind (rules: readonly RuleDef[], registry: RegistryView): string[] {
    const next = new Map<string, Bound[]>()
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
          const key = `${rule.id}|${site.code}|${point.code}`
          const version = `${rule.ruleVersion}|${point.definedAt}|${point.quantity}|${point.area ?? ''}|${point.item ?? ''}|${String(point.range)}`
          let t = tracks.get(key)
          if (t === undefined || t.version !== version) t = { version, track: newTrack(point) }
          nextTracks.set(key, t)
          const gk = groupKey(rule.id, site, point, r.neighbourhood)
          const group = groups.get(gk) ?? []
          groups.set(gk, group)
          group.push(t.track)
          t.track.group = group
          const b: Bound = { key, ref, health, state: stateOf(key), site, track: t.track, params }
          const id = `${site.code}|${point.code}`
          const list = next.get(id)
          if (list === undefined) next.set(id, [b])
          else list.push(b)
        }
      }
    }
    byPoint = next
    tracks = nextTracks
    return [...tracks.keys()]
  }

  function stateOf (key: string): KeyState {
    let s = env.states.get(key)
    if (s === undefined) env.states.set(key, s = newKeyState())
    return s
  }

  function readings (rows: readonly ReadingRow[], ctx: ModuleContext): void {
    for (const row of rows) {
      const list = byPoint.get(`${row.site}|${row.point}`)
      if (list === undefined) continue
      for (const b of list) run(b, row, ctx)
    }
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
  const decide = row.ts > b.state.lastTs
  if (decide) {
    b.state.lastTs = row.ts
    ctx.stats.evaluations++
  }
  let step
  try {
    step = stepFrozen(t, b.state, b.params, row.ts, row.value, decide)
    if (decide) recordSuccess(b.health)
  } catch (err) {
    recordFailure(b.health, err, ctx.now)
    return
  }
  if (step === null) return
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
