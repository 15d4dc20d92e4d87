// One reading through the threshold rules of its point, unless a suppress bit is set (DQ-2). Each rule
// runs inside its own try, so that one failing rule is recorded in its health and the others, and the
// rest of the batch, carry on. A reading whose ts is not after a key's last one is skipped for that key:
// a resend or an out-of-order reading must never raise anything new.
import { levelRank, type Level } from '../../../../contract/index.js'
import type { ReadingRow } from '../../../../contract/rows.js'
import { conditionChange, type EvalContext, type Subject } from '../../../change.js'
import { recordFailure, recordSuccess } from '../../../health.js'
import { SUPPRESS_MASK } from '../../../steps/device-status.js'
import { stepThreshold, type ThresholdStep } from '../../../steps/threshold.js'
import { thresholdMessage } from '../../../messages.js'
import type { ThresholdInstance } from './bind.js'
import { admitReading } from '../../shared/bind-points.js'

/** runThresholds judges one reading by a point's threshold rules; true when some rule skipped it as old. */
export function runThresholds (list: readonly ThresholdInstance[], row: ReadingRow, ctx: EvalContext): boolean {
  const late = ctx.now - row.ts > ctx.lateAfterMs
  const gated = (row.status & SUPPRESS_MASK) !== 0
  let skipped = false
  for (const inst of list) {
    skipped = (gated ? gate(inst, row) : run(inst, row, late, ctx)) || skipped
  }
  return skipped
}

// returns true when the reading was skipped as not newer than the key's last one
function run (inst: ThresholdInstance, row: ReadingRow, late: boolean, ctx: EvalContext): boolean {
  if (!admitReading(inst.state, row, ctx)) return true
  const s = inst.state
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
