// `rate`: the rate of change of a point's value, a least-squares slope over a sliding event-time window,
// in the point's unit per `per`, judged against four-colour levels like a threshold (CG-6 rising CO,
// SL-3 slope displacement rates).
import type { Point } from '../../../registry/types.js'
import { pointHead } from '../../messages.js'
import type { Direction } from '../../rule-file.js'
import { SCHEMA } from './levels.js'
import { bandIssues, bandsOf, durationMsOf, positiveDurationIssues, type Bands } from '../shared/schema.js'
import type { PointKind } from './kind.js'
import { label, rateText } from './text.js'
import { ruleWindow } from './window.js'
import { BLASTING_SCHEMA, blastGuard, blastSiteVersion, type BlastGuard, type BlastingSpec } from './blasting.js'

/** RateRule is a `rate` rule's own fields. */
export interface RateRule {
  window: string
  per: string
  direction: Direction
  levels: Bands
  for?: string
  minSamples?: number
  /** judge the size of the rate whichever way the value moves (displacement of either sign) */
  magnitude?: boolean
  /** blasting fumes are not a rise (blasting.ts) */
  blasting?: BlastingSpec
}

export const rate: PointKind = {
  schema: {
    required: ['window', 'per', 'direction', 'levels'],
    properties: {
      window: SCHEMA.duration,
      per: SCHEMA.duration,
      direction: SCHEMA.direction,
      levels: SCHEMA.levels,
      for: SCHEMA.duration,
      minSamples: SCHEMA.minSamples,
      magnitude: { type: 'boolean' },
      blasting: BLASTING_SCHEMA
    }
  },
  issues: (rule, base) => {
    const r = rule as unknown as RateRule
    return [...positiveDurationIssues(rule, ['window', 'per'], base), ...bandIssues(r.levels, r.direction, `${base}/levels`)]
  },
  params: (rule) => {
    const r = rule as unknown as RateRule
    return { direction: r.direction, forMs: durationMsOf(r.for), levels: bandsOf(r.levels) }
  },
  make: (rule, site, point, scope) => {
    const r = rule as unknown as RateRule
    return rateEvaluator(r, point, blastGuard(r.blasting, site, point.intervalS, scope))
  },
  siteVersion: (rule, site) => blastSiteVersion((rule as unknown as RateRule).blasting, site)
}

function rateEvaluator (r: RateRule, point: Point, guard: BlastGuard | null): ReturnType<PointKind['make']> {
  const perMs = durationMsOf(r.per)
  const w = ruleWindow(r.window, r.minSamples, point.intervalS)
  return {
    observe (ts, value) {
      const ready = w.push(ts, value)
      // in a blast window the rate is the fumes', not a trend: hold the level (the guard sees every reading)
      if (guard?.holds(ts, value) === true || !ready) return null
      const f = w.fit(perMs)
      if (f === null) return null
      const metric = r.magnitude === true ? Math.abs(f.slope) : f.slope
      const how = r.magnitude === true ? '变化速率' : (f.slope >= 0 ? '上升速率' : '下降速率')
      return { metric, value: round3(metric), text: `${pointHead(point)}${label(point.quantity)}${how} ${rateText(Math.abs(f.slope), point.unit, perMs)}` }
    }
  }
}

function round3 (v: number): number {
  return Number(v.toPrecision(4))
}
