// fan-stop: the east shaft's working main fan stops (its fan_status switch point reads 0) and its feeder
// draws next to nothing, for an hour, while the crew of the shift stays underground (NM-5, PW-2). Start
// it inside a shift (07:10-14:50, 15:10-22:50 or 23:10-06:50 Beijing time) for people to be down.
import { mainFanId } from '../fleet/index.js'
import { HOUR, findPoint, is, type ScenarioDef } from './types.js'

/** FAN_STOP is the stopped fan: its status point, its power meter and the fan id both carry. */
export const FAN_STOP = Object.freeze({ site: 'SG-XS', statusPoint: 'FAN-001', powerPoint: 'PWR-MAINFAN-1', fan: mainFanId('EF', 1), durationMs: HOUR })

/** fanStopped tells whether the fan is stopped at ts. */
export const fanStopped = (at: number, ts: number): boolean => ts >= at && ts < at + FAN_STOP.durationMs

export const fanStop: ScenarioDef = {
  name: 'fan-stop',
  summary: `main fan ${FAN_STOP.fan} (${FAN_STOP.site}/${FAN_STOP.statusPoint}) stops and its feeder ${FAN_STOP.powerPoint} drops to ~0 kW for 1 h`,
  create ({ at, fleet }) {
    for (const p of [FAN_STOP.statusPoint, FAN_STOP.powerPoint]) {
      if (findPoint(fleet, FAN_STOP.site, p).def.attributes?.fan !== FAN_STOP.fan) throw new Error(`${p} is not linked to fan ${FAN_STOP.fan}`)
    }
    return {
      name: 'fan-stop',
      override: (s) => {
        if (!fanStopped(at, s.ts)) return undefined
        if (is(s, FAN_STOP.site, FAN_STOP.statusPoint)) return { value: 0 }
        // the control circuit and the meter's own draw: a fraction of a kW, never the fan's 300 kW
        if (is(s, FAN_STOP.site, FAN_STOP.powerPoint)) return { value: Math.round((0.6 + 0.3 * Math.sin(s.ts / 60_000)) * 10) / 10 }
        return undefined
      }
    }
  }
}
