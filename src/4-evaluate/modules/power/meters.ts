// Power meters (智能用电) as the registry defines them: power_kw points tagged with the equipment they feed
// (attributes.equipment: hoist, main_fan, crusher, pump, total), their rating (attributes.ratedKw),
// optionally a declared production-period load (attributes.productionKw) and, for a main fan's feeder,
// the fan it feeds (attributes.fan, shared with the fan's fan_status point).
import type { Point } from '../../../registry/types.js'

/** Meter is one power meter of a site. */
export interface Meter {
  point: Point
  equipment: string
  ratedKw: number | null
  productionKw: number | null
  fan: string | null
}

/** EQUIPMENT_ZH names equipment in messages. */
export const EQUIPMENT_ZH: Readonly<Record<string, string>> = Object.freeze({
  hoist: '提升机', main_fan: '主扇', crusher: '破碎机', pump: '水泵', total: '总负荷'
})

/** equipmentZh lists equipment kinds in Chinese: "提升机、破碎机". */
export function equipmentZh (kinds: readonly string[]): string {
  return kinds.map((k) => EQUIPMENT_ZH[k] ?? k).join('、')
}

/** metersOf picks a site's power meters; a power point without attributes.equipment is not one of them. */
export function metersOf (points: readonly Point[]): Meter[] {
  const out: Meter[] = []
  for (const p of points) {
    const equipment = p.attributes.equipment
    // a meter outside the quantity catalogue (W instead of kW) would skew every share and baseline
    if (p.quantity !== 'power_kw' || typeof equipment !== 'string' || p.offCatalogue === true) continue
    const fan = p.attributes.fan
    out.push({ point: p, equipment, ratedKw: positive(p.attributes.ratedKw), productionKw: positive(p.attributes.productionKw), fan: typeof fan === 'string' ? fan : null })
  }
  return out
}

/** ratedOf is a meter's rating: attributes.ratedKw, else the top of the point's range, else null. */
export function ratedOf (m: Meter): number | null {
  return m.ratedKw ?? positive(m.point.range?.[1])
}

function positive (v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null
}
