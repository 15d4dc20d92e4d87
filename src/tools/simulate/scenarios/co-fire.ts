// co-fire: a belt-conveyor fire smoulders in the underground mine's -300 m haulage drift (CO-007). CO climbs
// at a steady 1.2 ppm/min for 25 min — a fire's rise, far slower than blasting fumes and sustained — past
// the 24 ppm limit to ~34 ppm, holds while it is fought, then clears with the ventilation. The CO trend of
// non-coal mines (trend.co.steady_rise) must warn before the limit; co-leak's minute-long jump cannot.
import { MIN, is, type ScenarioDef } from './types.js'

/** CO_FIRE is where the fire smoulders and its profile (ppm, minutes after `at`). */
export const CO_FIRE = Object.freeze({ site: 'SG-XS', point: 'CO-007', ratePpmPerMin: 1.2, riseMin: 25, holdMin: 10, decayMin: 15 })

/** coFireValue is the CO value at ts given the clean value at ts; undefined outside the fire. */
export function coFireValue (at: number, ts: number, clean: number): number | undefined {
  const m = (ts - at) / MIN
  const { ratePpmPerMin, riseMin, holdMin, decayMin } = CO_FIRE
  if (m < 0 || m >= riseMin + holdMin + decayMin) return undefined
  const top = ratePpmPerMin * riseMin
  let extra: number
  if (m < riseMin) extra = ratePpmPerMin * m
  else if (m < riseMin + holdMin) extra = top
  else extra = top * (1 - (m - riseMin - holdMin) / decayMin)
  // the clean value's noise rides on the rise, as a real sensor's would
  return Math.round((clean + extra) * 10) / 10
}

export const coFire: ScenarioDef = {
  name: 'co-fire',
  summary: `CO at ${CO_FIRE.site}/${CO_FIRE.point} rises ${CO_FIRE.ratePpmPerMin} ppm/min for ${CO_FIRE.riseMin} min (a smouldering belt fire), holds ${CO_FIRE.holdMin} min, clears`,
  create ({ at }) {
    return {
      name: 'co-fire',
      override: (s) => {
        if (!is(s, CO_FIRE.site, CO_FIRE.point)) return undefined
        const v = coFireValue(at, s.ts, s.value)
        return v === undefined ? undefined : { value: v }
      }
    }
  }
}
