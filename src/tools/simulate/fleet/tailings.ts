// Tailings ponds (尾矿库在线监测): phreatic line, pool level, dry beach, freeboard, dam displacement and
// rainfall. Each point carries the design values its rule compares with (TP-1..TP-5) as attributes; they
// are configurable defaults (unverified) for a grade-2 pond, chosen so a clean day stays far from them.
import type { Attributes, Quantity } from '../../../contract/index.js'
import type { SignalParams } from '../signals.js'
import { around, jitter, pad, type SiteBuilder } from './builder.js'
import { SLOPE_INSTALLED } from './slope.js'

const TAILINGS_INTERVAL_S = 600

/** TailingsDesign is a pond's crest, normal pool level and dry beach length, in m. */
export interface TailingsDesign { crestM: number, poolM: number, beachM: number }

/** tailingsLimits are the design values of a pond: the attributes its points carry. */
export function tailingsLimits (o: TailingsDesign): { controlLevelM: number, floodLevelM: number, designMaxLevelM: number, beachMinM: number, freeboardMinM: number } {
  return {
    controlLevelM: Math.round((o.poolM + 1.4) * 10) / 10,
    floodLevelM: Math.round((o.crestM - 1.5) * 10) / 10,
    designMaxLevelM: Math.round((o.crestM - 1.0) * 10) / 10,
    beachMinM: 100,
    freeboardMinM: 1.0
  }
}

/** tailings adds the monitoring points of a tailings pond with the given crest, pool level and beach. */
export function tailings (b: SiteBuilder, o: TailingsDesign): void {
  const lim = tailingsLimits(o)
  const def = (pointCode: string, quantity: Quantity, unit: string, location: string, item: string, range: [number, number],
    signal: SignalParams, area: string, attributes: Attributes): void => {
    b.add({ pointCode, quantity, unit, kind: 'analog', location, area, item, intervalS: TAILINGS_INTERVAL_S, range, attributes }, signal)
  }
  // phreatic line depth (浸润线埋深): 2 sections × 3 piezometers; deeper is safer. The control depth sits
  // 4 m above each piezometer's normal depth (the downstream ones are shallower).
  let pz = 0
  for (const section of ['Ⅰ-Ⅰ', 'Ⅱ-Ⅱ']) {
    for (const [i, depth] of [[1, 14], [2, 11], [3, 8]] as const) {
      const code = `PZ-${pad(++pz, 2)}`
      def(code, 'phreatic_depth', 'm', `坝体 ${section} 断面 ${i}# 渗压计`, '浸润线', [0, 60],
        around(depth + 0.5 * jitter(`${b.code}/${code}`), 0.6, { diurnal: 0, peakHour: 0, noise: 0.02, drift: 0.15, driftPeriodH: 168, decimals: 2 }, 0, 60),
        'DAM', { section, controlDepthM: depth - 4 })
    }
  }
  def('PL-01', 'pool_level', 'm', '库区水位计', '库水位', [o.crestM - 40, o.crestM],
    around(o.poolM, 0.4, { diurnal: 0, peakHour: 0, noise: 0.01, drift: 0.12, driftPeriodH: 168, decimals: 2 }), 'POOL',
    { controlLevelM: lim.controlLevelM, floodLevelM: lim.floodLevelM, designMaxLevelM: lim.designMaxLevelM })
  def('DB-01', 'dry_beach_length', 'm', '干滩 1# 监测断面', '干滩', [0, 1000],
    around(o.beachM, 12, { diurnal: 0, peakHour: 0, noise: 0.5, drift: 3, driftPeriodH: 168, decimals: 1 }), 'BEACH', { designMinM: lim.beachMinM })
  def('FB-01', 'freeboard', 'm', '坝顶安全超高', '安全超高', [0, 20],
    around(o.crestM - o.poolM - 0.3, 0.4, { diurnal: 0, peakHour: 0, noise: 0.01, drift: 0.1, driftPeriodH: 168, decimals: 2 }, 0, 20), 'DAM',
    { designMinM: lim.freeboardMinM })
  // dam surface displacement (坝体表面位移): 3 GNSS stations on the dam crest, horizontal and vertical
  for (let s = 1; s <= 3; s++) {
    for (const [suffix, quantity, velocity] of [['H', 'displacement_h', 0.01], ['V', 'displacement_v', 0.015]] as const) {
      const code = `DM-${pad(s, 2)}-${suffix}`
      def(code, quantity, 'mm', `坝顶 ${s}# GNSS 监测站`, '坝体位移', [-500, 500], {
        ...around(2 * jitter(`${b.code}/${code}`), 1.5, { diurnal: 0.3, peakHour: 14, noise: 0.3, drift: 0.4, driftPeriodH: 240, decimals: 1 }, -500, 500),
        trend: { perDay: velocity, from: SLOPE_INSTALLED }
      }, 'DAM', { method: 'GNSS', cumulative: true, uniformVelocityMmPerDay: velocity })
    }
  }
  rainGauge(b, TAILINGS_INTERVAL_S)
}

/** rainGauge adds a rain gauge reporting every `intervalS`: a clean day is a dry day, rain belongs to the scenarios. */
export function rainGauge (b: SiteBuilder, intervalS: number): void {
  b.add({ pointCode: 'RG-01', quantity: 'rainfall', unit: 'mm', kind: 'analog', location: '雨量站', area: 'MET', item: '降雨量', intervalS, range: [0, 200] },
    { base: 0, min: 0, max: 0, diurnal: 0, peakHour: 0, noise: 0, drift: 0, driftPeriodH: 1, decimals: 1, constant: 0 })
}
