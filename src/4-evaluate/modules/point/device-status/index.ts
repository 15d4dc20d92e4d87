// Kind `device_status` holds while any of the rule's bits is set in a reading's
// status (测点状态), bit 8 also when the value is out of range (steps/device-status.ts). Judged reading by
// reading, first of all kinds, so that a reading's fault comes out before what its value means.
import type { ReadingRow } from '../../../../contract/rows.js'
import { conditionChange, type EvalContext } from '../../../change.js'
import { recordFailure, recordSuccess } from '../../../health.js'
import { effectiveStatus, stepDevice, type DeviceStep } from '../../../steps/device-status.js'
import { deviceMessage } from '../../../messages.js'
import type { KindSchema } from '../../../module.js'
import { LEVEL } from '../../shared/schema.js'
import type { DeviceInstance } from './bind.js'
import { admitReading } from '../../shared/bind-points.js'

/** DEVICE_STATUS_SCHEMA is the fields of kind device_status. */
export const DEVICE_STATUS_SCHEMA: KindSchema = {
  required: ['bits', 'level'],
  properties: {
    bits: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', enum: [1, 2, 4, 8, 16, 32, 64, 128] } },
    level: LEVEL
  }
}

/** runDevices judges one reading by the device-status rules of its point; true when one skipped it as old. */
export function runDevices (list: readonly DeviceInstance[], row: ReadingRow, ctx: EvalContext): boolean {
  const late = ctx.now - row.ts > ctx.lateAfterMs
  let skipped = false
  for (const inst of list) skipped = run(inst, row, late, ctx) || skipped
  return skipped
}

// returns true when the reading was skipped as not newer than the key's last one
function run (inst: DeviceInstance, row: ReadingRow, late: boolean, ctx: EvalContext): boolean {
  if (!admitReading(inst.state, row, ctx)) return true
  const s = inst.state
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
