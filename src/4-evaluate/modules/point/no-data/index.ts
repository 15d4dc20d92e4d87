// Kind `no_data` raises when a point, or a whole site, stays silent for missedPeriods ×
// intervalS (DQ-3/DQ-4/DQ-5, steps/no-data.ts). Only the periodic check raises; only a reading clears, and
// only once the point is no longer silent by the definition: a backfill of readings that are themselves
// older than the threshold would otherwise clear and re-raise on every check.
import type { ReadingRow } from '../../../../contract/rows.js'
import { conditionChange, type EvalContext } from '../../../change.js'
import { lastSeen, noteReading, silent } from '../../../steps/no-data.js'
import { resumeMessage } from '../../../messages.js'
import type { KindSchema, ModuleContext } from '../../../module.js'
import { LEVEL } from '../../shared/schema.js'
import type { BoundSilences, Watch } from './bind.js'
import { checkSilence } from './check.js'

/** NO_DATA_SCHEMA is the fields of kind no_data. */
export const NO_DATA_SCHEMA: KindSchema = {
  required: ['scope', 'missedPeriods', 'level'],
  properties: {
    scope: { type: 'string', enum: ['point', 'site'] },
    missedPeriods: { type: 'number', minimum: 1, maximum: 10000 },
    level: LEVEL
  }
}

/** noteSeen records a reading of a watched point and clears the silences it ends. */
export function noteSeen (w: Watch, row: ReadingRow, ctx: EvalContext): void {
  noteReading(w.track, row.ts)
  if (w.points.length > 0 || w.sites.length > 0) clearSilence(w, row, ctx)
}

/** checkNoData raises the silences that time passing decided (the periodic check); closed sites are left alone. */
export function checkNoData (bound: BoundSilences, ctx: ModuleContext): void {
  const closed = new Map<string, boolean>()
  const isClosed = (site: string): boolean => {
    let v = closed.get(site)
    if (v === undefined) closed.set(site, v = ctx.registry.statusAt(site, ctx.now) === 'closed')
    return v
  }
  checkSilence(bound.siteList, bound.pointList, { ...ctx, closed: isClosed })
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
