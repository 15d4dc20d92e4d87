// The device-status module: kind `device_status` holds while any of the rule's bits is set in a reading's
// status (测点状态), bit 8 also when the value is out of range (kinds/device-status.ts). Judged reading by
// reading, first of all kinds, so that a reading's fault comes out before what its value means.
import type { ReadingRow } from '../../../contract/rows.js'
import type { RegistryView } from '../../../registry/types.js'
import { conditionChange, type EvalContext } from '../../change.js'
import { recordFailure, recordSuccess } from '../../health.js'
import { effectiveStatus, stepDevice, type DeviceStep } from '../../steps/device-status.js'
import { deviceMessage } from '../../messages.js'
import type { KindSchema, ModuleContext, ModuleEnv, RuleModule, RuleModuleInstance } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import { PointIndex } from '../shared/point-index.js'
import { LEVEL } from '../shared/schema.js'
import { bindDevices, type DeviceInstance } from './bind.js'
import { admitReading } from '../shared/bind-points.js'

const DEVICE_STATUS_SCHEMA: KindSchema = {
  required: ['bits', 'level'],
  properties: {
    bits: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', enum: [1, 2, 4, 8, 16, 32, 64, 128] } },
    level: LEVEL
  }
}

/** DEVICE_STATUS is the rule module of the kind device_status. */
export const DEVICE_STATUS: RuleModule = {
  name: 'device-status',
  kinds: { device_status: DEVICE_STATUS_SCHEMA },
  create: createDeviceStatus
}

function createDeviceStatus ({ env }: ModuleEnv): RuleModuleInstance {
  let byPoint = new PointIndex<DeviceInstance[]>()
  return {
    bind (rules: readonly RuleDef[], registry: RegistryView): Iterable<string> {
      const bound = bindDevices(rules, registry, env)
      byPoint = bound.byPoint
      return bound.keys
    },
    reading (row: ReadingRow, ctx: ModuleContext): boolean {
      const list = byPoint.get(row.site, row.point)
      if (list === undefined) return false
      const late = ctx.now - row.ts > ctx.lateAfterMs
      let skipped = false
      for (const inst of list) skipped = run(inst, row, late, ctx) || skipped
      return skipped
    }
  }
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
