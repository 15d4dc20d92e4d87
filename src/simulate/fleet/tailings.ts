// Tailings ponds (尾矿库在线监测): phreatic line, pool level, dry beach, freeboard, rainfall.
import type { Quantity } from '../../contract/index.js'
import type { SignalParams } from '../signals.js'
import { around, jitter, pad, type SiteBuilder } from './builder.js'

const TAILINGS_INTERVAL_S = 600

/** tailings adds the monitoring points of a tailings pond with the given crest, pool level and beach. */
export function tailings (b: SiteBuilder, o: { crestM: number, poolM: number, beachM: number }): void {
  const def = (pointCode: string, quantity: Quantity, unit: string, location: string, range: [number, number], signal: SignalParams, area = 'DAM'): void => {
    b.add({ pointCode, quantity, unit, kind: 'analog', location, area, item: quantity, intervalS: TAILINGS_INTERVAL_S, range }, signal)
  }
  // phreatic line depth (浸润线埋深): 2 sections × 3 piezometers; deeper is safer
  let pz = 0
  for (const section of ['Ⅰ-Ⅰ', 'Ⅱ-Ⅱ']) {
    for (const [i, depth] of [[1, 14], [2, 11], [3, 8]] as const) {
      const code = `PZ-${pad(++pz, 2)}`
      def(code, 'phreatic_depth', 'm', `坝体 ${section} 断面 ${i}# 渗压计`, [0, 60],
        around(depth + 0.5 * jitter(`${b.code}/${code}`), 0.6, { diurnal: 0, peakHour: 0, noise: 0.02, drift: 0.15, driftPeriodH: 168, decimals: 2 }, 0, 60))
    }
  }
  def('PL-01', 'pool_level', 'm', '库区水位计', [o.crestM - 40, o.crestM],
    around(o.poolM, 0.4, { diurnal: 0, peakHour: 0, noise: 0.01, drift: 0.12, driftPeriodH: 168, decimals: 2 }), 'POOL')
  def('DB-01', 'dry_beach_length', 'm', '干滩 1# 监测断面', [0, 1000],
    around(o.beachM, 12, { diurnal: 0, peakHour: 0, noise: 0.5, drift: 3, driftPeriodH: 168, decimals: 1 }), 'BEACH')
  def('FB-01', 'freeboard', 'm', '坝顶安全超高', [0, 20],
    around(o.crestM - o.poolM - 0.3, 0.4, { diurnal: 0, peakHour: 0, noise: 0.01, drift: 0.1, driftPeriodH: 168, decimals: 2 }, 0, 20), 'DAM')
  rainGauge(b, TAILINGS_INTERVAL_S)
}

/** rainGauge adds a rain gauge reporting every `intervalS`: a clean day is a dry day, rain belongs to the scenarios. */
export function rainGauge (b: SiteBuilder, intervalS: number): void {
  b.add({ pointCode: 'RG-01', quantity: 'rainfall', unit: 'mm', kind: 'analog', location: '雨量站', area: 'MET', item: 'rainfall', intervalS, range: [0, 200] },
    { base: 0, min: 0, max: 0, diurnal: 0, peakHour: 0, noise: 0, drift: 0, driftPeriodH: 1, decimals: 1, constant: 0 })
}
