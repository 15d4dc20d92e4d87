// slope-failure: one GNSS station of the east slope accelerates to failure. Its velocity follows the
// Fukuzono inverse-velocity law — 1/v falls linearly to zero at the failure time, 6 h after `at` — so
// SL-2 can extrapolate that time from the data and SL-1 sees the tangent angle steepen past 80°.
import { valueAt } from '../signals.js'
import { HOUR, MIN, findPoint, is, type ScenarioDef } from './types.js'

/** SLOPE_FAILURE is the failing station's 3D point, its velocity when acceleration starts and the time to failure. */
export const SLOPE_FAILURE = Object.freeze({ site: 'SG-SC', point: 'S1-GNSS03-3D', startMmPerH: 1, failureAfterMs: 6 * HOUR, lastReadingBeforeMs: 5 * MIN })

/** slopeFailureExtra is the extra displacement (mm) at ts: v0·T·ln(T / (tf − t)), frozen 5 min before tf (the station is lost). */
export function slopeFailureExtra (at: number, ts: number): number {
  if (ts <= at) return 0
  const T = SLOPE_FAILURE.failureAfterMs
  const t = Math.min(ts - at, T - SLOPE_FAILURE.lastReadingBeforeMs)
  return (SLOPE_FAILURE.startMmPerH * T / HOUR) * Math.log(T / (T - t))
}

/** failureTime is when the station fails (epoch ms). */
export const failureTime = (at: number): number => at + SLOPE_FAILURE.failureAfterMs

export const slopeFailure: ScenarioDef = {
  name: 'slope-failure',
  summary: `${SLOPE_FAILURE.site}/${SLOPE_FAILURE.point} accelerates from ${SLOPE_FAILURE.startMmPerH} mm/h to failure 6 h later (inverse velocity → 0 linearly)`,
  create ({ at, fleet, seed }) {
    const point = findPoint(fleet, SLOPE_FAILURE.site, SLOPE_FAILURE.point)
    const atStart = valueAt(point, at, seed)
    return {
      name: 'slope-failure',
      override: (s) => {
        if (!is(s, SLOPE_FAILURE.site, SLOPE_FAILURE.point) || s.ts <= at) return undefined
        // from the clean value at the start on, the steady creep and the noise are dwarfed: keep only the trend
        const creep = (point.signal.trend?.perDay ?? 0) * (s.ts - at) / (24 * HOUR)
        return { value: Math.round((atStart + creep + slopeFailureExtra(at, s.ts)) * 100) / 100 }
      }
    }
  }
}
