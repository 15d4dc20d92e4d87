// Slope monitoring (边坡在线监测): GNSS stations, horizontal and vertical displacement.
import { around, jitter, pad, type SiteBuilder } from './builder.js'

/** SLOPE_INTERVAL_S is the reporting interval of slope monitoring (and of the waste dump's rain gauge). */
export const SLOPE_INTERVAL_S = 300

/** slopeSystem adds the GNSS stations of one slope monitoring system. */
export function slopeSystem (b: SiteBuilder, system: number, name: string, stations: number): void {
  for (let s = 1; s <= stations; s++) {
    for (const [suffix, quantity, noise] of [['H', 'displacement_h', 0.6], ['V', 'displacement_v', 1.0]] as const) {
      const pointCode = `S${system}-GNSS${pad(s, 2)}-${suffix}`
      const offset = 2 * jitter(`${b.code}/${pointCode}`)
      b.add({
        pointCode,
        quantity,
        unit: 'mm',
        kind: 'analog',
        location: `${name} GNSS 监测站 ${pad(s, 2)}`,
        area: `S${system}`,
        item: `slope-${system}`,
        intervalS: SLOPE_INTERVAL_S,
        range: [-500, 500],
        attributes: { system: `SLOPE-${system}`, method: 'GNSS' }
      }, around(offset, 5, { diurnal: 0.8, peakHour: 14, noise, drift: 1, driftPeriodH: 240, decimals: 1 }, -500, 500))
    }
  }
}
