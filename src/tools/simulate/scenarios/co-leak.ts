// co-leak: CO at one stope sensor of the underground mine climbs from its normal level past the red limit
// (160 ppm) in ten minutes — a blasting-fume or fire leak — holds, then the ventilation clears it.
import { valueAt } from '../signals.js'
import { MIN, findPoint, is, type ScenarioDef } from './types.js'

/** CO_LEAK is where the leak happens and its profile (ppm, minutes after `at`). */
export const CO_LEAK = Object.freeze({ site: 'SG-XS', point: 'CO-005', peakPpm: 185, rampMin: 10, holdMin: 20, decayMin: 15 })

/** coLeakValue is the CO value at ts given the clean value at ts and at the start; undefined outside the leak. */
export function coLeakValue (at: number, ts: number, clean: number, cleanAtStart: number): number | undefined {
  const m = (ts - at) / MIN
  const { peakPpm, rampMin, holdMin, decayMin } = CO_LEAK
  if (m < 0 || m >= rampMin + holdMin + decayMin) return undefined
  let v: number
  if (m < rampMin) v = cleanAtStart + (peakPpm - cleanAtStart) * (m / rampMin)
  else if (m < rampMin + holdMin) v = peakPpm + 4 * Math.sin(m) // the plume breathes with the airflow
  else v = peakPpm + (clean - peakPpm) * ((m - rampMin - holdMin) / decayMin)
  return Math.round(v * 10) / 10
}

export const coLeak: ScenarioDef = {
  name: 'co-leak',
  summary: `CO at ${CO_LEAK.site}/${CO_LEAK.point} ramps to ${CO_LEAK.peakPpm} ppm over ${CO_LEAK.rampMin} min, holds ${CO_LEAK.holdMin} min, clears`,
  create ({ at, fleet, seed }) {
    const point = findPoint(fleet, CO_LEAK.site, CO_LEAK.point)
    const cleanAtStart = valueAt(point, at, seed)
    return {
      name: 'co-leak',
      override: (s) => {
        if (!is(s, CO_LEAK.site, CO_LEAK.point)) return undefined
        const v = coLeakValue(at, s.ts, s.value, cleanAtStart)
        return v === undefined ? undefined : { value: v }
      }
    }
  }
}
