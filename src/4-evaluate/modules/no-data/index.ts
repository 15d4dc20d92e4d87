// The no-data module: kind `no_data` raises when a point, or a whole site, stays silent for missedPeriods ×
// intervalS (DQ-3/DQ-4/DQ-5, kinds/no-data.ts). Only the periodic check raises; only a reading clears, and
// only once the point is no longer silent by the definition: a backfill of readings that are themselves
// older than the threshold would otherwise clear and re-raise on every check.
import type { ReadingRow } from '../../../contract/rows.js'
import type { RegistryView } from '../../../registry/types.js'
import { conditionChange, type EvalContext } from '../../change.js'
import { lastSeen, noteReading, silent, type PointTrack } from '../../steps/no-data.js'
import { resumeMessage } from '../../messages.js'
import type { KindSchema, ModuleContext, ModuleEnv, RuleModule, RuleModuleInstance } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import { LEVEL } from '../shared/schema.js'
import { bindSilences, type BoundSilences, type Watch } from './bind.js'
import { checkSilence } from './check.js'

const NO_DATA_SCHEMA: KindSchema = {
  required: ['scope', 'missedPeriods', 'level'],
  properties: {
    scope: { type: 'string', enum: ['point', 'site'] },
    missedPeriods: { type: 'number', minimum: 1, maximum: 10000 },
    level: LEVEL
  }
}

/** NO_DATA is the rule module of the kind no_data. */
export const NO_DATA: RuleModule = {
  name: 'no-data',
  kinds: { no_data: NO_DATA_SCHEMA },
  create: createNoData
}

function createNoData ({ env }: ModuleEnv): RuleModuleInstance {
  let bound: BoundSilences | null = null
  return {
    bind (rules: readonly RuleDef[], registry: RegistryView): Iterable<string> {
      bound = bindSilences(rules, registry, env, bound?.tracks ?? new Map<string, PointTrack>())
      return bound.keys
    },
    reading (row: ReadingRow, ctx: ModuleContext): boolean {
      const w = bound?.byPoint.get(row.site, row.point)
      if (w === undefined) return false
      noteReading(w.track, row.ts)
      if (w.points.length > 0 || w.sites.length > 0) clearSilence(w, row, ctx)
      return false
    },
    check (ctx: ModuleContext): void {
      if (bound === null) return
      const closed = new Map<string, boolean>()
      const isClosed = (site: string): boolean => {
        let v = closed.get(site)
        if (v === undefined) closed.set(site, v = ctx.registry.statusAt(site, ctx.now) === 'closed')
        return v
      }
      checkSilence(bound.siteList, bound.pointList, { ...ctx, closed: isClosed })
    }
  }
}

function clearSilence (w: Watch, row: ReadingRow, ctx: EvalContext): void {
  const late = ctx.now - row.ts > ctx.lateAfterMs
  for (const inst of w.points) {
    if (inst.state.level === null || silent(lastSeen(w.track), inst.thresholdMs, ctx.now)) continue
    inst.state.level = null
    const message = resumeMessage(inst.site, inst.point, inst.ref.title, w.point)
    ctx.emit(conditionChange(inst, inst.point, { level: null, value: null, limit: null, eventTs: row.ts, late, message, row }))
  }
  for (const inst of w.sites) {
    if (inst.state.level === null || silent(lastSeen(w.track), inst.thresholdMs, ctx.now)) continue
    inst.state.level = null
    const message = resumeMessage(inst.site, undefined, inst.ref.title, w.point)
    ctx.emit(conditionChange(inst, undefined, { level: null, value: null, limit: null, eventTs: row.ts, late, message, row }))
  }
}
