// 杏山铁矿 (underground): the ventilation sensors (通风), 68 — fans, negative pressure, air volume,
// wind speed and temperature.
import type { Attributes, PointDefinition, Quantity } from '../../../contract/index.js'
import type { SignalParams } from '../signals.js'
import { around, jitter, pad, type SiteBuilder } from './builder.js'
import { place, UG_INTERVAL_S, UG_PLACES } from './places.js'

// Each main fan has an id (attributes.fan) shared by its fan_status switch point and its feeder's power
// meter (power.ts), so a cross-source rule can pair "the fan says running" with "the fan draws power".
const FAN_STATIONS = [
  { name: '东风井主扇', area: 'F1', id: 'EF' },
  { name: '西风井主扇', area: 'F2', id: 'WF' }
] as const

/** mainFanId is the id of main fan `no` (1 working, 2 standby) of the station with id `station`. */
export const mainFanId = (station: 'EF' | 'WF', no: 1 | 2): string => `${station}-${no}`

/** undergroundVentilation adds the ventilation sensors of an underground site. */
export function undergroundVentilation (b: SiteBuilder): void {
  const add = (pointCode: string, quantity: Quantity, unit: string, location: string, area: string, signal: SignalParams,
    range: [number, number], kind: PointDefinition['kind'] = 'analog', attributes?: Attributes): void => {
    b.add({
      pointCode, quantity, unit, kind, location, area, item: 'ventilation', intervalS: UG_INTERVAL_S, range, ...(attributes === undefined ? {} : { attributes })
    }, signal)
  }
  // fan_status: 2 main fan stations × (working + standby) and 6 local (auxiliary) fans at headings = 10
  let fan = 0
  for (const s of FAN_STATIONS) {
    for (const [no, standby] of [[1, false], [2, true]] as const) {
      const signal = around(standby ? 0 : 1, 0, { diurnal: 0, peakHour: 0, noise: 0, drift: 0, driftPeriodH: 1, decimals: 0, constant: standby ? 0 : 1 }, 0, 1)
      add(`FAN-${pad(++fan)}`, 'fan_status', 'on/off', `${s.name} ${no}#风机`, s.area, signal, [0, 1], 'switch', { equipment: 'main_fan', fan: mainFanId(s.id, no), standby })
    }
  }
  for (const p of UG_PLACES.filter((x) => x.kind === 'stope' || x.kind === 'chamber').slice(0, 6)) {
    const signal = around(1, 0, { diurnal: 0, peakHour: 0, noise: 0, drift: 0, driftPeriodH: 1, decimals: 0, constant: 1 }, 0, 1)
    add(`FAN-${pad(++fan)}`, 'fan_status', 'on/off', `${p.location} 局扇`, p.area, signal, [0, 1], 'switch', { equipment: 'local_fan' })
  }
  // negative_pressure: 2 sensors per main fan station's duct (风硐) + 4 at regulator doors (风门) = 8
  let np = 0
  for (const s of FAN_STATIONS) {
    for (const no of [1, 2]) {
      const code = `NP-${pad(++np)}`
      add(code, 'negative_pressure', 'Pa', `${s.name} 风硐 ${no}#`, s.area,
        around(1850 + 120 * jitter(code), 250, { diurnal: 25, peakHour: 14, noise: 15, drift: 40, driftPeriodH: 120, decimals: 0 }, 0, 5000), [0, 5000])
    }
  }
  for (const p of UG_PLACES.filter((x) => x.kind === 'return' || x.kind === 'haulage').slice(0, 4)) {
    const code = `NP-${pad(++np)}`
    add(code, 'negative_pressure', 'Pa', `${p.location} 风门`, p.area,
      around(320 + 40 * jitter(code), 80, { diurnal: 8, peakHour: 14, noise: 6, drift: 10, driftPeriodH: 120, decimals: 0 }, 0, 5000), [0, 5000])
  }
  // air_volume: main fan station ducts 2 + 8 airways = 10
  let av = 0
  for (const s of FAN_STATIONS) {
    const code = `AV-${pad(++av)}`
    add(code, 'air_volume', 'm³/min', `${s.name} 风硐`, s.area,
      around(7200 + 400 * jitter(code), 900, { diurnal: 80, peakHour: 14, noise: 60, drift: 120, driftPeriodH: 120, decimals: 0 }, 0, 20000), [0, 20000])
  }
  for (let i = 0; i < 8; i++) {
    const p = place(i * 2 + 1)
    const code = `AV-${pad(++av)}`
    add(code, 'air_volume', 'm³/min', p.location, p.area,
      around(1600 + 500 * jitter(code), 400, { diurnal: 30, peakHour: 14, noise: 25, drift: 50, driftPeriodH: 120, decimals: 0 }, 0, 20000), [0, 20000])
  }
  // wind_speed: 24, over every place (stopes slower, returns faster)
  for (let i = 0; i < 24; i++) {
    const p = place(i)
    const code = `WS-${pad(i + 1)}`
    const base = (p.kind === 'stope' ? 1.2 : p.kind === 'return' ? 4.5 : p.kind === 'chamber' ? 0.9 : 2.8) + 0.3 * jitter(code)
    add(code, 'wind_speed', 'm/s', p.location, p.area,
      around(base, Math.max(0.4, base * 0.3), { diurnal: 0.08, peakHour: 14, noise: 0.12, drift: 0.1, driftPeriodH: 100, decimals: 2 }, 0.3, 8), [0, 15])
  }
  // temperature: 16, one per place (deeper and busier is warmer; intake follows the surface a little)
  for (let i = 0; i < 16; i++) {
    const p = place(i)
    const code = `T-${pad(i + 1)}`
    const base = (p.kind === 'intake' ? 16 : p.kind === 'stope' ? 24 : 21) + jitter(code)
    add(code, 'temperature', '°C', p.location, p.area,
      around(base, 4, { diurnal: p.kind === 'intake' ? 1.5 : 0.4, peakHour: 15, noise: 0.15, drift: 0.5, driftPeriodH: 144, decimals: 1 }, -20, 60), [-20, 60])
  }
}
