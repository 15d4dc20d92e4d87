// Which points a rule applies to. Evaluated at compile time only, never per reading.
import type { Point, Site } from '../registry/types.js'
import type { RuleMatch } from './rule-file.js'

/** siteMatches tells whether a rule's site-level filter (siteKind) admits the site. */
export function siteMatches (match: RuleMatch | undefined, site: Site): boolean {
  return match?.siteKind === undefined || match.siteKind.includes(site.kind)
}

/** pointMatches tells whether every point-level filter of a rule admits the point. */
export function pointMatches (match: RuleMatch | undefined, point: Point): boolean {
  if (match === undefined) return true
  return within(match.quantity, point.quantity) &&
    within(match.unit, point.unit) &&
    within(match.item, point.item) &&
    within(match.area, point.area) &&
    within(match.points, point.code) &&
    attributesMatch(match.attributes, point.attributes)
}

function within<T> (allowed: readonly T[] | undefined, value: T | undefined): boolean {
  return allowed === undefined || (value !== undefined && allowed.includes(value))
}

// null stands for "absent", so a rule can say "standby is false or not given" as [false, null]; {not: […]}
// lets a general rule keep off the points that a special rule judges, whatever else they carry.
function attributesMatch (wanted: RuleMatch['attributes'], actual: Point['attributes']): boolean {
  if (wanted === undefined) return true
  return Object.entries(wanted).every(([k, v]) => {
    const have = actual?.[k] ?? null
    if (Array.isArray(v)) return v.includes(have)
    if (v !== null && typeof v === 'object') return !v.not.includes(have)
    return v === have
  })
}

/**
 * judgesValues tells whether a rule that judges values (a threshold, a rate, a sum) may judge the point: a
 * point whose unit or kind the quantity catalogue does not accept only by a rule that names its unit, since
 * a rule's numbers are in the canonical unit. Silence and device status are judged whatever the unit.
 */
export function judgesValues (match: RuleMatch | undefined, point: Point): boolean {
  return point.offCatalogue !== true || match?.unit !== undefined
}
