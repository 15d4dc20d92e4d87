// PW-2 (power.fan.conflict): a main fan's on/off switch point and the power meter of its feeder disagree.
// They are paired by attributes.fan (the fan's id, on the fan_status point and on the main_fan meter).
// "Running" with next to no power may hide a stopped fan (or a stuck switch); "stopped" while the feeder
// draws running power is a faulty switch. A stop both agree on is ventilation.main_fan.stopped and
// personnel.fan_stopped, not this rule. Only readings at most `maxAge` apart are compared: with one
// side silent nothing is decided (the dwell restarts, an open conflict stays until a fresh pair agrees).
import type { Level } from '../../../contract/index.js'
import type { ReadingRow } from '../../../contract/rows.js'
import type { Point, RegistryView } from '../../../registry/types.js'
import type { CompileEnv } from '../../compile.js'
import { SUPPRESS_MASK } from '../../steps/device-status.js'
import { siteMatches } from '../../match.js'
import type { ModuleContext } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import { condition, evaluate, move, type Condition } from './condition.js'
import { fanConfig, type FanConfig } from './config.js'
import { metersOf, ratedOf } from './meters.js'
import { fanConflictMessage, fanConsistentMessage } from './messages.js'
import { PointIndex, pushAt } from '../shared/point-index.js'
import type { Runner } from './runner.js'

interface Latest { ts: number, value: number }

/** Pair is one fan: its switch point, its feeder meter and their latest readings. */
interface Pair {
  c: Condition
  cfg: FanConfig
  status: Point
  power: Point
  ratedKw: number
  last: { status: Latest | null, power: Latest | null }
}

/** Conflict is what a pair of readings says: which disagreement, if any. */
export type Conflict = 'no_power' | 'powered' | null

/** conflictOf compares a switch value (1 running, 0 stopped) with the feeder's power. */
export function conflictOf (running: number, powerKw: number, ratedKw: number, cfg: Pick<FanConfig, 'idleFraction' | 'runningFraction'>): Conflict {
  if (running >= 0.5) return powerKw < cfg.idleFraction * ratedKw ? 'no_power' : null
  return powerKw > cfg.runningFraction * ratedKw ? 'powered' : null
}

/** fanConflictRunner creates the runner of fan_power_conflict rules. */
export function fanConflictRunner (env: CompileEnv): Runner {
  // latest readings by condition key, kept across rebinds so a recompile does not forget a pair
  const latest = new Map<string, { status: Latest | null, power: Latest | null }>()
  let byPoint = new PointIndex<Pair[]>()

  function bind (rules: readonly RuleDef[], registry: RegistryView): string[] {
    byPoint = new PointIndex()
    const keys: string[] = []
    for (const rule of rules) {
      if (rule.kind !== 'fan_power_conflict') continue
      const cfg = fanConfig(rule)
      for (const site of registry.sites()) {
        if (!siteMatches(rule.match, site)) continue
        const points = registry.pointsOf(site.code)
        for (const m of metersOf(points)) {
          const rated = ratedOf(m)
          const status = points.find((p) => p.quantity === 'fan_status' && p.attributes.fan === m.fan)
          if (m.equipment !== 'main_fan' || m.fan === null || status === undefined || rated === null) continue
          const c = condition(env, rule, site, `fan:${m.fan}`)
          keys.push(c.key)
          let last = latest.get(c.key)
          if (last === undefined) latest.set(c.key, last = { status: null, power: null })
          const pair: Pair = { c, cfg, status, power: m.point, ratedKw: rated, last }
          for (const p of [status, m.point]) pushAt(byPoint, site.code, p.code, pair)
        }
      }
    }
    const used = new Set(keys)
    for (const k of latest.keys()) if (!used.has(k)) latest.delete(k)
    return keys
  }

  function readings (rows: readonly ReadingRow[], ctx: ModuleContext): void {
    byPoint.each(rows, (pairs, row) => {
      if ((row.status & SUPPRESS_MASK) !== 0) return
      for (const pair of pairs) evaluate(pair.c, ctx, () => step(pair, row, ctx))
    })
  }

  return { bind, readings }
}

function step (pair: Pair, row: ReadingRow, ctx: ModuleContext): void {
  const side = row.point === pair.status.code ? 'status' : 'power'
  const mine = pair.last[side]
  if (mine !== null && row.ts <= mine.ts) return
  pair.last[side] = { ts: row.ts, value: row.value }
  const { status, power } = pair.last
  const s = pair.c.state
  if (status === null || power === null || Math.abs(status.ts - power.ts) > pair.cfg.maxAgeMs) {
    s.pendingSince = null
    s.pendingLevel = null
    return
  }
  const conflict = conflictOf(status.value, power.value, pair.ratedKw, pair.cfg)
  const evidence = [
    { point: pair.status.code, ts: status.ts, value: status.value, status: 0 },
    { point: pair.power.code, ts: power.ts, value: power.value, status: 0 }
  ]
  if (conflict === null) {
    s.pendingSince = null
    s.pendingLevel = null
    if (s.level !== null) move(pair.c, { level: null, value: power.value, limit: null, eventTs: row.ts, message: fanConsistentMessage(pair.status, pair.power, power.value) }, ctx, evidence)
    return
  }
  const level: Level = conflict === 'no_power' ? pair.cfg.noPowerLevel : pair.cfg.poweredLevel
  // the dwell restarts when the kind of disagreement flips
  if (s.pendingLevel !== level) {
    s.pendingLevel = level
    s.pendingSince = row.ts
  }
  const since = s.pendingSince ?? row.ts
  if (row.ts - since < pair.cfg.forMs || s.level === level) return
  const limit = (conflict === 'no_power' ? pair.cfg.idleFraction : pair.cfg.runningFraction) * pair.ratedKw
  const message = fanConflictMessage(pair.status, pair.power, conflict === 'no_power', power.value, pair.ratedKw)
  move(pair.c, { level, value: power.value, limit, eventTs: row.ts, startedAt: since, message }, ctx, evidence)
}
