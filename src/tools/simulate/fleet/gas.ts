// 杏山铁矿 (underground): the toxic-gas sensors (有毒有害气体), 52 over the places.
import type { Quantity } from '../../../contract/index.js'
import { beijingMinutes, type Fumes } from '../fumes.js'
import type { SignalParams } from '../signals.js'
import { around, jitter, pad, type SiteBuilder } from './builder.js'
import { place, UG_INTERVAL_S } from './places.js'

// Clean bands stay well inside the defaults of rules/gas.yaml (CO < 24/20 ppm, O2 > 20/20.5 %,
// H2S < 6.6/6, NO2 < 2.5/2, SO2 < 5/4): the feed must raise no alarm until a scenario says so.
const GAS: ReadonlyArray<{ q: Quantity, n: number, prefix: string, unit: string, range: [number, number], sig: (stope: boolean, j: number) => SignalParams }> = [
  { q: 'co', n: 16, prefix: 'CO', unit: 'ppm', range: [0, 1000], sig: (stope, j) => around(stope ? 6 + 2 * j : 3 + j, 6, { diurnal: stope ? 2 : 1, peakHour: 10, noise: 0.8, drift: 1, driftPeriodH: 72, decimals: 1 }, 0, 15) },
  { q: 'o2', n: 14, prefix: 'O2', unit: '%', range: [0, 25], sig: (stope, j) => around(stope ? 20.75 : 20.82 + 0.03 * j, 0.2, { diurnal: 0.04, peakHour: 3, noise: 0.04, drift: 0.03, driftPeriodH: 96, decimals: 2 }, 20.6, 20.95) },
  { q: 'h2s', n: 8, prefix: 'H2S', unit: 'ppm', range: [0, 100], sig: (_s, j) => around(0.4 + 0.2 * j, 1.5, { diurnal: 0.15, peakHour: 11, noise: 0.2, drift: 0.2, driftPeriodH: 60, decimals: 1 }, 0, 3) },
  { q: 'no2', n: 8, prefix: 'NO2', unit: 'ppm', range: [0, 20], sig: (stope, j) => around(stope ? 0.4 : 0.15 + 0.05 * j, 0.8, { diurnal: 0.12, peakHour: 13, noise: 0.08, drift: 0.08, driftPeriodH: 48, decimals: 2 }, 0, 1.5) },
  { q: 'so2', n: 6, prefix: 'SO2', unit: 'ppm', range: [0, 20], sig: (_s, j) => around(0.3 + 0.1 * j, 1.2, { diurnal: 0.1, peakHour: 13, noise: 0.12, drift: 0.1, driftPeriodH: 50, decimals: 1 }, 0, 3) }
]

/**
 * BLAST_TIMES are the underground mine's fixed blasts (定时爆破), one at the end of each shift once the crew
 * is out (shifts start 07:00, 15:00, 23:00): the site declares them as attributes.blastTimes.
 */
export const BLAST_TIMES = '06:40,14:40,22:40'

// The plume at a CO sensor by its place: near the faces +8 ppm within 3 min (the sensors hang in the stope
// accesses, where the fumes have mixed; a clean stope reads at most 14 ppm, so the peak stays under 24), in
// the return airways +4 ppm arriving 3 min later over 6 min; gone within ~30-40 min. Elsewhere the intake air
// keeps it away. Realistic in shape; the amplitudes are bounded by a clean day's zero alarms.
const FUMES: Partial<Record<ReturnType<typeof place>['kind'], Omit<Fumes, 'times'>>> = {
  stope: { delayMin: 0, rise: 8, riseMin: 3, decayMin: 30 },
  return: { delayMin: 3, rise: 4, riseMin: 6, decayMin: 40 }
}

/** undergroundGas adds the toxic-gas sensors of an underground site. */
export function undergroundGas (b: SiteBuilder): void {
  let i = 0
  for (const g of GAS) {
    for (let n = 1; n <= g.n; n++) {
      const p = place(i++)
      const pointCode = `${g.prefix}-${pad(n)}`
      const signal = g.sig(p.kind === 'stope', jitter(`${b.code}/${pointCode}`))
      const fumes = g.q === 'co' ? FUMES[p.kind] : undefined
      b.add({
        pointCode,
        quantity: g.q,
        unit: g.unit,
        kind: 'analog',
        location: p.location,
        area: p.area,
        item: 'gas',
        intervalS: UG_INTERVAL_S,
        range: g.range
      }, fumes === undefined ? signal : { ...signal, fumes: { ...fumes, times: beijingMinutes(BLAST_TIMES) } })
    }
  }
}
