// frozen-sensor (疑似篡改): one CO sensor of a busy stope area repeats the exact value it read when the
// scenario started, for 3 h, while the other CO sensors of its area keep moving (DQ-6).
import { valueAt } from '../signals.js'
import { HOUR, findPoint, is, type ScenarioDef } from './types.js'

/** FROZEN is the frozen point (area A5 holds CO-008, CO-009, CO-010 and CO-016) and how long it stays frozen. */
export const FROZEN = Object.freeze({ site: 'SG-XS', point: 'CO-008', durationMs: 3 * HOUR })

export const frozenSensor: ScenarioDef = {
  name: 'frozen-sensor',
  summary: `${FROZEN.site}/${FROZEN.point} repeats one value for 3 h while its neighbours vary`,
  create ({ at, fleet, seed }) {
    const point = findPoint(fleet, FROZEN.site, FROZEN.point)
    const stuck = valueAt(point, at, seed)
    return {
      name: 'frozen-sensor',
      override: (s) => is(s, FROZEN.site, FROZEN.point) && s.ts >= at && s.ts < at + FROZEN.durationMs ? { value: stuck } : undefined
    }
  }
}
