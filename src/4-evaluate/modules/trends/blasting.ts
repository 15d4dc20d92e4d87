// Blasting fumes (炮烟) are not a trend. After a blast the CO at the points near the face rises by tens of
// ppm within minutes and the ventilation clears it over tens of minutes; points downstream see the same
// plume later, slower and weaker. A CO trend read from those readings warns after every blast — why the CO
// trend rules were once left to coal mines. A rule with `blasting` reads a blast window as fumes: it neither
// raises nor clears there (an open warning is held, as at the limit). Blast windows are
//  - declared: the site attribute `blastTimes` (or `attribute`) lists the mine's scheduled blasts (定时爆破)
//    as Beijing times "HH:mm", e.g. "06:40,14:40,22:40"; every day, from `before` each to `after` it;
//  - detected: a rise of `spike.rise` within `spike.within` at any point the rule judges in the site, far
//    steeper than a developing fire's (1–2 ppm/min): an unannounced blast. The window runs from the rise's
//    start to `after` past it for every such point of the site, since the plume reaches the others later.
import type { Site } from '../../../registry/types.js'
import { durationMsOf } from '../shared/schema.js'
import { SCHEMA } from './levels.js'
import type { SiteScope } from './kind.js'
import { SampleWindow, windowCapacity } from './window.js'

/** BlastingSpec is a trend rule's `blasting` field. */
export interface BlastingSpec {
  /** the site attribute of declared blast times, default blastTimes */
  attribute?: string
  /** how long before a declared blast time its window opens (blasts do not keep the minute), default 0s */
  before?: string
  /** how long after a declared or detected blast the readings are fumes */
  after: string
  /** a rise this steep at any point of the site is a blast */
  spike?: { rise: number, within: string }
}

/** BLASTING_SCHEMA is the JSON Schema of the `blasting` field. */
export const BLASTING_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['after'],
  properties: {
    attribute: SCHEMA.attribute,
    before: SCHEMA.duration,
    after: SCHEMA.duration,
    spike: {
      type: 'object',
      additionalProperties: false,
      required: ['rise', 'within'],
      properties: { rise: SCHEMA.positive, within: SCHEMA.duration }
    }
  }
} as const

/** DEFAULT_BLAST_ATTRIBUTE is the site attribute of declared blast times. */
export const DEFAULT_BLAST_ATTRIBUTE = 'blastTimes'

const MIN = 60_000
const DAY_MIN = 24 * 60
const BEIJING_OFFSET_MS = 8 * 60 * MIN
const DETECTED = 'blasting.detected'

/** BlastGuard tells, reading by reading, whether a point's reading falls in a blast window. */
export interface BlastGuard {
  /** holds takes every reading of the point (spikes are seen in them) and tells whether it is fumes */
  holds: (ts: number, value: number) => boolean
}

interface Window { from: number, until: number }

/** blastSiteVersion is what of the site a rule with `blasting` reads: its declared blast times. */
export function blastSiteVersion (spec: BlastingSpec | undefined, site: Site): string {
  return spec === undefined ? '' : String(site.attributes[spec.attribute ?? DEFAULT_BLAST_ATTRIBUTE] ?? '')
}

/** blastGuard builds a point's guard; null without `blasting`. Throws on malformed declared times. */
export function blastGuard (spec: BlastingSpec | undefined, site: Site, intervalS: number, scope: SiteScope): BlastGuard | null {
  if (spec === undefined) return null
  const attribute = spec.attribute ?? DEFAULT_BLAST_ATTRIBUTE
  const declared = blastSchedule(site.attributes[attribute], `site ${site.code} attribute "${attribute}"`)
  const beforeMin = durationMsOf(spec.before) / MIN
  const afterMs = durationMsOf(spec.after)
  const spike = spec.spike === undefined ? null : { rise: spec.spike.rise, withinMs: durationMsOf(spec.spike.within) }
  const recent = spike === null ? null : new SampleWindow(spike.withinMs, windowCapacity(spike.withinMs, intervalS))
  return {
    holds (ts, value) {
      if (spike !== null && recent !== null) {
        recent.push(ts, value)
        if (value - lowest(recent) >= spike.rise) detected(scope, { from: ts - spike.withinMs, until: ts + afterMs })
      }
      const w = scope.shared.get(DETECTED) as Window | undefined
      return (w !== undefined && ts >= w.from && ts <= w.until) || inDeclared(declared, ts, beforeMin, afterMs / MIN)
    }
  }
}

// A new spike inside or right after a window extends it rather than opening another: a round of blasts
// in several stopes is one plume.
function detected (scope: SiteScope, w: Window): void {
  const old = scope.shared.get(DETECTED) as Window | undefined
  if (old !== undefined && w.from <= old.until && w.until >= old.from) w = { from: Math.min(old.from, w.from), until: Math.max(old.until, w.until) }
  scope.shared.set(DETECTED, w)
}

function lowest (w: SampleWindow): number {
  let min = Infinity
  for (let i = 0; i < w.length; i++) min = Math.min(min, w.at(i).value)
  return min
}

function inDeclared (minutesOfDay: readonly number[], ts: number, beforeMin: number, afterMin: number): boolean {
  const now = (((ts + BEIJING_OFFSET_MS) / MIN) % DAY_MIN + DAY_MIN) % DAY_MIN
  return minutesOfDay.some((t) => {
    const since = ((now - t) % DAY_MIN + DAY_MIN) % DAY_MIN
    return since <= afterMin || DAY_MIN - since <= beforeMin
  })
}

/**
 * blastSchedule reads declared blast times, "HH:mm" Beijing time separated by commas or blanks, as minutes
 * of the day; absent or empty is none. Throws on anything else: a mistyped schedule must be seen, not skipped.
 */
export function blastSchedule (raw: unknown, where: string): number[] {
  if (raw === undefined || raw === '') return []
  const out: number[] = []
  for (const token of String(raw).split(/[\s,，;；]+/).filter((x) => x !== '')) {
    const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(token)
    if (m === null) throw new Error(`${where} is ${JSON.stringify(raw)}: "${token}" is not a Beijing time HH:mm`)
    out.push(Number(m[1]) * 60 + Number(m[2]))
  }
  return out
}
