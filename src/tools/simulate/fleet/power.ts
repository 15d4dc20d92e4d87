// Power metering (智能用电): 30 meters over the sites.
import type { SignalParams } from '../signals.js'
import { jitter, type SiteBuilder } from './builder.js'

const POWER_INTERVAL_S = 60

type Equipment = 'hoist' | 'main_fan' | 'crusher' | 'pump' | 'total'

/**
 * Meter is one power meter: the equipment it measures, its name and rating; a standby one reads 0. A main
 * fan's meter names the fan it feeds (attributes.fan, the id of the fan's fan_status point).
 */
export interface Meter { equipment: Equipment, name: string, ratedKw: number, standby?: boolean, fan?: string }

const LOAD: Readonly<Record<Equipment, { share: number, diurnal: number, noise: number }>> = {
  hoist: { share: 0.55, diurnal: 0.08, noise: 0.15 },
  main_fan: { share: 0.78, diurnal: 0.01, noise: 0.02 },
  crusher: { share: 0.6, diurnal: 0.12, noise: 0.08 },
  pump: { share: 0.8, diurnal: 0.02, noise: 0.03 },
  total: { share: 0.55, diurnal: 0.08, noise: 0.02 }
}

/** power adds a site's power meters, named after `place`. */
export function power (b: SiteBuilder, meters: Meter[], place: string): void {
  const seen = new Map<Equipment, number>()
  for (const m of meters) {
    const n = (seen.get(m.equipment) ?? 0) + 1
    seen.set(m.equipment, n)
    const pointCode = `PWR-${m.equipment.toUpperCase().replace('_', '')}-${n}`
    const l = LOAD[m.equipment]
    const base = m.standby === true ? 0 : m.ratedKw * l.share * (1 + 0.05 * jitter(`${b.code}/${pointCode}`))
    const signal: SignalParams = m.standby === true
      ? { base: 0, min: 0, max: 0, diurnal: 0, peakHour: 0, noise: 0, drift: 0, driftPeriodH: 1, decimals: 1, constant: 0 }
      : { base, min: m.ratedKw * 0.2, max: m.ratedKw * 0.95, diurnal: m.ratedKw * l.diurnal, peakHour: 10, noise: m.ratedKw * l.noise, drift: m.ratedKw * 0.02, driftPeriodH: 96, decimals: 1 }
    b.add({
      pointCode,
      quantity: 'power_kw',
      unit: 'kW',
      kind: 'analog',
      location: `${place} ${m.name}`,
      item: 'power',
      intervalS: POWER_INTERVAL_S,
      range: [0, Math.round(m.ratedKw * 1.2)],
      // productionKw: the declared production-period load (PW-1's reference before it has learned one)
      attributes: {
        equipment: m.equipment,
        ratedKw: m.ratedKw,
        ...(m.standby === true ? { standby: true } : { productionKw: Math.round(base) }),
        ...(m.fan === undefined ? {} : { fan: m.fan })
      }
    }, signal)
  }
}
