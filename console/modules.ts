// The module (rule family) of a point: the family of the first specific rule that would judge it, by what the
// rules match (GET /v1/rules). Pure, so it is tested without a browser.

/** RuleMatch is what GET /v1/rules tells of a rule's match. */
export interface RuleMatch { id: string, match: { quantity?: string[], siteKind?: string[] } | null }

// families that judge any point (silence, device status, data quality, trends of many quantities)
const GENERIC = new Set(['connectivity', 'device', 'quality', 'trend'])
/** OTHER is the module of a point no specific rule judges (power readings, seepage flow, …). */
export const OTHER = 'other'

// quantities no rule matches by quantity: power meters are found by their attributes (rules/power.yaml), and
// some ventilation and tailings quantities are recorded without a default rule
const UNRULED: Record<string, string> = {
  power_kw: 'power', energy_kwh: 'power', current_a: 'power', air_volume: 'ventilation', negative_pressure: 'ventilation', seepage_flow: 'tailings'
}

/** moduleOfPoint is the family of the first specific rule that would judge a point of `quantity` on a `kind` site. */
export function moduleOfPoint (quantity: string, kind: string, rules: readonly RuleMatch[]): string {
  for (const r of rules) {
    const family = r.id.split('.')[0] ?? ''
    if (GENERIC.has(family) || r.match?.quantity?.includes(quantity) !== true) continue
    if (r.match.siteKind !== undefined && !r.match.siteKind.includes(kind)) continue
    return family
  }
  return UNRULED[quantity] ?? OTHER
}
