// One reading through its point's rules. Plain loops over the instances bound at compile time; each
// rule runs inside its own try so that one failing rule is recorded in its health and the others,
// and the rest of the batch, carry on.
import type { ReadingRow } from '../ingest/types.js'
import { levelRank, type Level } from '../contract/index.js'
import { conditionChange, type EvalContext, type Subject } from './change.js'
import type { DeviceInstance, PointRules, ThresholdInstance } from './compiled.js'
import { recordFailure, recordSuccess } from './health.js'
import { SUPPRESS_MASK, effectiveStatus, stepDevice, type DeviceStep } from './kinds/device-status.js'
import { lastSeen, noteReading, silent } from './kinds/no-data.js'
import { stepThreshold, type ThresholdStep } from './kinds/threshold.js'
import { deviceMessage, resumeMessage, thresholdMessage } from './messages.js'

/**
 * evaluateReading runs device-status rules, then (unless a suppress bit is set: DQ-2) threshold rules,
 * then clears no-data conditions the reading ends. A reading whose ts is not after a key's last one is
 * skipped for that key: a resend or an out-of-order reading must never raise anything new.
 */
export function evaluateReading (pr: PointRules, row: ReadingRow, ctx: EvalContext): void {
  noteReading(pr.track, row.ts)
  const late = ctx.now - row.ts > ctx.lateAfterMs
  let skipped = false
  for (const inst of pr.device) skipped = runDevice(inst, row, late, ctx) || skipped
  const gated = (row.status & SUPPRESS_MASK) !== 0
  for (const inst of pr.threshold) {
    skipped = (gated ? gate(inst, row) : runThreshold(inst, row, late, ctx)) || skipped
  }
  if (skipped) ctx.stats.outOfOrder++
  if (pr.noData.length > 0 || pr.siteNoData.length > 0) clearSilence(pr, row, late, ctx)
}

// returns true when the reading was skipped as not newer than the key's last one
function runDevice (inst: DeviceInstance, row: ReadingRow, late: boolean, ctx: EvalContext): boolean {
  const s = inst.state
  if (row.ts <= s.lastTs) return true
  s.lastTs = row.ts
  ctx.stats.evaluations++
  let step: DeviceStep | null
  try {
    step = stepDevice(inst.mask, inst.level, s, effectiveStatus(row.status, row.value, inst.point))
    recordSuccess(inst.health)
  } catch (err) {
    recordFailure(inst.health, err, ctx.now)
    return false
  }
  if (step === null) return false
  const message = deviceMessage(inst.point, inst.ref.title, step.to, step.bits, row.value)
  ctx.emit(conditionChange(inst, inst.point, { level: step.to, value: row.value, limit: null, eventTs: row.ts, late, message, row }))
  return false
}

function runThreshold (inst: ThresholdInstance, row: ReadingRow, late: boolean, ctx: EvalContext): boolean {
  const s = inst.state
  if (row.ts <= s.lastTs) return true
  s.lastTs = row.ts
  ctx.stats.evaluations++
  let step: ThresholdStep | null
  try {
    step = stepThreshold(inst, s, row.value, row.ts)
    recordSuccess(inst.health)
  } catch (err) {
    recordFailure(inst.health, err, ctx.now)
    return false
  }
  if (step === null) return false
  const message = thresholdMessage({ point: inst.point, direction: inst.direction, value: row.value, ...step })
  ctx.emit(conditionChange(hazardSubject(inst, step.to ?? step.from), inst.point, {
    level: step.to, value: row.value, limit: step.limit, eventTs: row.ts, late, message, row, ...(step.since === undefined ? {} : { startedAt: step.since })
  }))
  return false
}

// Below the rule's hazardLevel a change carries no hazardClause (TP-1: orange is a warning, only red is
// the major hazard); a clear carries that of the level it clears from.
function hazardSubject (inst: ThresholdInstance, level: Level | null): Subject {
  const below = inst.belowHazard
  if (below === null || level === null || levelRank(level) >= below.rank) return inst
  return { key: inst.key, ref: below.ref, site: inst.site }
}

// A suppressed reading is not a measurement: the level stays as it is, but a pending dwell restarts,
// because calibration gas is exactly what would otherwise complete it (the false alarms of DQ-2).
function gate (inst: ThresholdInstance, row: ReadingRow): boolean {
  const s = inst.state
  if (row.ts <= s.lastTs) return true
  s.lastTs = row.ts
  s.pendingSince = null
  s.pendingLevel = null
  return false
}

// Data ends a silence only once the point is no longer silent by the definition: a backfill of readings
// that are themselves older than the threshold would otherwise clear and re-raise on every check.
function clearSilence (pr: PointRules, row: ReadingRow, late: boolean, ctx: EvalContext): void {
  for (const inst of pr.noData) {
    if (inst.state.level === null || silent(lastSeen(pr.track), inst.thresholdMs, ctx.now)) continue
    inst.state.level = null
    const message = resumeMessage(inst.site, inst.point, inst.ref.title, pr.point)
    ctx.emit(conditionChange(inst, inst.point, { level: null, value: null, limit: null, eventTs: row.ts, late, message, row }))
  }
  for (const inst of pr.siteNoData) {
    if (inst.state.level === null || silent(lastSeen(pr.track), inst.thresholdMs, ctx.now)) continue
    inst.state.level = null
    const message = resumeMessage(inst.site, undefined, inst.ref.title, pr.point)
    ctx.emit(conditionChange(inst, undefined, { level: null, value: null, limit: null, eventTs: row.ts, late, message, row }))
  }
}
