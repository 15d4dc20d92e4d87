// phreatic-rise: the phreatic line of the downstream piezometer of a tailings dam rises (its burial depth
// shrinks) 1.5 m an hour, through the control depth to 1.5 m past it, and stays there (TP-1).
import { valueAt } from '../signals.js'
import { HOUR, findPoint, is, type ScenarioDef } from './types.js'

/** PHREATIC_RISE is the piezometer, the rise rate and how far past the control depth it ends. */
export const PHREATIC_RISE = Object.freeze({ site: 'SG-DSH-TP', point: 'PZ-03', metresPerHour: 1.5, pastControlM: 1.5 })

export const phreaticRise: ScenarioDef = {
  name: 'phreatic-rise',
  summary: `${PHREATIC_RISE.site}/${PHREATIC_RISE.point} depth falls ${PHREATIC_RISE.metresPerHour} m/h through its control depth to ${PHREATIC_RISE.pastControlM} m past it`,
  create ({ at, fleet, seed }) {
    const point = findPoint(fleet, PHREATIC_RISE.site, PHREATIC_RISE.point)
    const control = Number(point.def.attributes?.controlDepthM)
    if (!Number.isFinite(control)) throw new Error(`${point.key} has no controlDepthM`)
    const start = valueAt(point, at, seed)
    const floor = control - PHREATIC_RISE.pastControlM
    return {
      name: 'phreatic-rise',
      override: (s) => {
        if (!is(s, PHREATIC_RISE.site, PHREATIC_RISE.point) || s.ts < at) return undefined
        const depth = Math.max(floor, start - PHREATIC_RISE.metresPerHour * (s.ts - at) / HOUR)
        return { value: Math.round(depth * 100) / 100 }
      }
    }
  }
}
