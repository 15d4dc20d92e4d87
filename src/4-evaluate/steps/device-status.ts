// Device status (测点状态) as conditions: a rule holds while any of its bits is set in a reading's status.
// Over-range is also derived from the value: outside the point's `range` (else its quantity's valid range)
// counts as bit 8 (DQ-1), so a gateway that forgets to set the bit still raises the fault.
import { STATUS, type Level } from '../../contract/index.js'
import type { Point } from '../../registry/types.js'
import type { KeyState } from '../compiled.js'

/**
 * SUPPRESS_MASK is the status bits that keep threshold rules off a reading (DQ-2): calibration, substation
 * fault, not polled, paused, sensor fault. The value is not a measurement then. Over-range (8) is not
 * here: a gas reading pegged above its range is the most dangerous reading of all.
 */
export const SUPPRESS_MASK = STATUS.CALIBRATION | STATUS.SUBSTATION_FAULT | STATUS.NOT_POLLED | STATUS.PAUSED | STATUS.SENSOR_FAULT

/**
 * effectiveStatus is the reading's status plus bit 8 when the value lies outside the point's range, or,
 * for a point defined without one, outside its quantity's valid range (the catalogue's, precomputed into
 * point.validRange when the registry built the Point).
 */
export function effectiveStatus (status: number, value: number, point: Point): number {
  const r = point.validRange ?? point.range
  if (r !== undefined && (value < r[0] || value > r[1])) return status | STATUS.OVER_RANGE
  return status
}

/** DeviceStep is a device-status level change. */
export interface DeviceStep {
  from: Level | null
  to: Level | null
  /** the bits of the rule that are set (0 on a clear) */
  bits: number
}

/** stepDevice evaluates one reading's effective status against the rule's mask and updates `s`. */
export function stepDevice (mask: number, level: Level, s: KeyState, status: number): DeviceStep | null {
  const bits = status & mask
  const to = bits !== 0 ? level : null
  if (to === s.level) return null
  const from = s.level
  s.level = to
  return { from, to, bits }
}

const BIT_ZH: ReadonlyArray<[number, string]> = [
  [STATUS.ALARM, '报警'],
  [STATUS.POWER_CUT, '断电'],
  [STATUS.CALIBRATION, '标校'],
  [STATUS.OVER_RANGE, '超量程'],
  [STATUS.SUBSTATION_FAULT, '分站故障'],
  [STATUS.NOT_POLLED, '未巡检'],
  [STATUS.PAUSED, '暂停'],
  [STATUS.SENSOR_FAULT, '传感器故障']
]

/** statusNames lists the Chinese names of the set bits, e.g. "标校、传感器故障". */
export function statusNames (bits: number): string {
  return BIT_ZH.filter(([b]) => (bits & b) !== 0).map(([, name]) => name).join('、')
}
