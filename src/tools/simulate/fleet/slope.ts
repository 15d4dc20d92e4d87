// Slope monitoring (边坡在线监测): GNSS stations, each with horizontal, vertical and cumulative 3D
// displacement. The 3D point creeps at a slow uniform velocity since the station was installed (a stable
// slope still deforms a little); attributes.uniformVelocityMmPerDay states that velocity, so the tangent
// angle criterion (SL-1) can compare a later velocity with it.
import { around, jitter, pad, type SiteBuilder } from './builder.js'

/** SLOPE_INTERVAL_S is the reporting interval of slope monitoring (and of the waste dump's rain gauge). */
export const SLOPE_INTERVAL_S = 300

/** SLOPE_INSTALLED is when the stations were installed: cumulative displacement counts from here. */
export const SLOPE_INSTALLED = Date.parse('2024-06-01T00:00:00+08:00')

/**
 * slopeSystem adds the GNSS stations of one slope monitoring system; `heightM`, the slope's height, goes on
 * the horizontal points (GB 51214 judges cumulative horizontal displacement against 6×10⁻³ H).
 */
export function slopeSystem (b: SiteBuilder, system: number, name: string, stations: number, heightM?: number): void {
  for (let s = 1; s <= stations; s++) {
    const station = `S${system}-GNSS${pad(s, 2)}`
    const base = {
      unit: 'mm',
      kind: 'analog' as const,
      location: `${name} GNSS 监测站 ${pad(s, 2)}`,
      area: `S${system}`,
      item: '边坡位移',
      intervalS: SLOPE_INTERVAL_S
    }
    for (const [suffix, quantity, noise] of [['H', 'displacement_h', 0.6], ['V', 'displacement_v', 1.0]] as const) {
      const pointCode = `${station}-${suffix}`
      const offset = 2 * jitter(`${b.code}/${pointCode}`)
      const attributes: Record<string, string | number> = { system: `SLOPE-${system}`, method: 'GNSS' }
      if (suffix === 'H' && heightM !== undefined) attributes.slopeHeightM = heightM
      b.add({ ...base, pointCode, quantity, range: [-500, 500], attributes },
        around(offset, 5, { diurnal: 0.8, peakHour: 14, noise, drift: 1, driftPeriodH: 240, decimals: 1 }, -500, 500))
    }
    // 0.03-0.07 mm/d: creep of a stable open-pit slope, far below any rate alarm. The 3D series is the
    // station's filtered solution: little noise, no daily swing, so rates over hours stay near the creep.
    const pointCode = `${station}-3D`
    const velocity = Math.round((0.05 + 0.02 * jitter(`${b.code}/${pointCode}/v`)) * 1000) / 1000
    b.add({
      ...base,
      pointCode,
      quantity: 'displacement_3d',
      range: [0, 2000],
      attributes: { system: `SLOPE-${system}`, method: 'GNSS', cumulative: true, uniformVelocityMmPerDay: velocity }
    }, {
      ...around(3 + jitter(`${b.code}/${pointCode}`), 0.5, { diurnal: 0, peakHour: 14, noise: 0.05, drift: 0.05, driftPeriodH: 240, decimals: 2 }, 0, 2000),
      trend: { perDay: velocity, from: SLOPE_INSTALLED }
    })
  }
}
