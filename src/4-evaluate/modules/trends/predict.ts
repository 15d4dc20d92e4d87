// `predict`: linear extrapolation of a point's trend. If the line fitted over the window continues, when
// does the value reach the point's limit? The minutes to the limit are judged against levels (fewer
// minutes, higher level), so the duty room hears "预计 N 分钟后达到 X" before the over-limit alarm.
import type { Level } from '../../../contract/index.js'
import type { Point } from '../../../registry/types.js'
import { beyond } from '../../steps/threshold.js'
import { num, pointHead } from '../../messages.js'
import type { Direction } from '../../rule-file.js'
import type { Issue } from '../../issue.js'
import { SCHEMA } from './levels.js'
import { bandIssues, bandsOf, durationMsOf, positiveDurationIssues, type Bands } from '../shared/schema.js'
import type { PointKind } from './kind.js'
import { label, rateText } from './text.js'
import { ruleWindow } from './window.js'
import { BLASTING_SCHEMA, blastGuard, blastSiteVersion, type BlastGuard, type BlastingSpec } from './blasting.js'
import { SUSTAIN_SCHEMA, sustained, type SustainSpec } from './sustain.js'

/** PredictRule is a `predict` rule's own fields; levels are in minutes to the limit. */
export interface PredictRule {
  window: string
  /** how far ahead the line is trusted; every level's `at` lies within it */
  horizon: string
  /** upper: the value rises towards an upper limit; lower: it falls towards a lower one */
  direction: Direction
  levels: Bands
  /** the limit, unless the point gives one (see limitOf) */
  limit?: number
  /** a point attribute holding the limit, e.g. controlDepthM of a piezometer */
  limitAttribute?: string
  /** the threshold level the limit is, e.g. red for controlDepthM (TP-1): a point's limits.<level> gives it absolutely */
  limitLevel?: Level
  /** the slope must be this many standard errors away from flat (noise guard), default 3 */
  minT?: number
  for?: string
  minSamples?: number
  /** the approach must have held in every part of the window (sustain.ts) */
  sustain?: SustainSpec
  /** blasting fumes are not an approach (blasting.ts) */
  blasting?: BlastingSpec
}

/** NO_APPROACH is the minutes reported when the value does not approach its limit: beyond any release. */
export const NO_APPROACH = 1e9

const MIN = 60_000
const DEFAULT_MIN_T = 3

export const predict: PointKind = {
  schema: {
    required: ['window', 'horizon', 'direction', 'levels'],
    properties: {
      window: SCHEMA.duration,
      horizon: SCHEMA.duration,
      direction: SCHEMA.direction,
      levels: SCHEMA.levels,
      limit: { type: 'number' },
      limitAttribute: SCHEMA.attribute,
      limitLevel: SCHEMA.level,
      minT: { type: 'number', minimum: 0 },
      for: SCHEMA.duration,
      minSamples: SCHEMA.minSamples,
      sustain: SUSTAIN_SCHEMA,
      blasting: BLASTING_SCHEMA
    }
  },
  issues: (rule, base) => {
    const r = rule as unknown as PredictRule
    return [...positiveDurationIssues(rule, ['window', 'horizon'], base), ...bandIssues(r.levels, 'lower', `${base}/levels`), ...horizonIssues(r, base)]
  },
  // fewer minutes to the limit is worse: the levels are a lower threshold on the minutes
  params: (rule) => {
    const r = rule as unknown as PredictRule
    return { direction: 'lower', forMs: durationMsOf(r.for), levels: bandsOf(r.levels) }
  },
  make: (rule, site, point, scope) => {
    const r = rule as unknown as PredictRule
    return predictEvaluator(r, point, blastGuard(r.blasting, site, point.intervalS, scope))
  },
  siteVersion: (rule, site) => blastSiteVersion((rule as unknown as PredictRule).blasting, site)
}

function horizonIssues (r: PredictRule, base: string): Issue[] {
  const horizonMin = durationMsOf(r.horizon) / MIN
  return Object.entries(r.levels).filter(([, b]) => b !== undefined && b.at > horizonMin)
    .map(([level, b]) => ({ path: `${base}/levels/${level}/at`, message: `at ${b?.at} min lies beyond the horizon (${horizonMin} min)` }))
}

/**
 * limitOf is the limit a point is predicted against: the absolute value of `limitLevel` in the point's
 * limits (they override design values for the threshold rule too, so both speak of the same limit), its
 * design attribute, its alarm limit, else the rule's.
 */
export function limitOf (r: PredictRule, point: Point): number {
  const absolute = r.limitLevel === undefined ? undefined : point.limits?.[r.limitLevel]
  if (absolute !== undefined) return absolute
  if (r.limitAttribute !== undefined) {
    const v = Number(point.attributes[r.limitAttribute])
    if (point.attributes[r.limitAttribute] !== undefined && Number.isFinite(v)) return v
  }
  const own = r.direction === 'upper' ? point.limits?.upperAlarm : point.limits?.lowerAlarm
  if (own !== undefined) return own
  if (r.limit !== undefined) return r.limit
  throw new Error(`point ${point.code} has no limit to predict against (limits.${r.limitLevel ?? '-'}, attribute ${r.limitAttribute ?? '-'}, limits.${r.direction}Alarm, or the rule's limit)`)
}

function predictEvaluator (r: PredictRule, point: Point, guard: BlastGuard | null): ReturnType<PointKind['make']> {
  const limit = limitOf(r, point)
  // beyond twice the horizon the extrapolation is not trusted: report no approach
  const trustMin = 2 * durationMsOf(r.horizon) / MIN
  const minT = r.minT ?? DEFAULT_MIN_T
  const w = ruleWindow(r.window, r.minSamples, point.intervalS)
  const u = point.unit === '' ? '' : ` ${point.unit}`
  const head = `${pointHead(point)}${label(point.quantity)}`
  const steady = r.sustain === undefined ? '' : ` ${durationMsOf(r.window) / MIN} 分钟持续${r.direction === 'upper' ? '上升' : '下降'}，`
  // `sustain` decides when an approach begins; once it has, it lasts while the line approaches, so one part
  // of a noisy window falling short of the rate does not clear and re-raise the warning
  let approaching = false
  return {
    observe (ts, value) {
      const ready = w.push(ts, value)
      // blasting fumes say nothing of a trend; at or past the limit the threshold rule speaks: either way,
      // hold the level rather than raise or clear (the guard sees every reading, to find the spikes)
      if (guard?.holds(ts, value) === true) {
        approaching = false
        return null
      }
      if (!ready || beyond(r.direction, value, limit)) return null
      const f = w.fit(MIN)
      if (f === null) return null
      const toward = r.direction === 'upper' ? f.slope : -f.slope
      const significant = toward > 0 && (f.slopeSe === 0 || toward / f.slopeSe >= minT) &&
        (r.sustain === undefined || approaching || sustained(w, r.sustain, r.direction))
      const minutes = significant ? Math.max(0, (limit - f.intercept) / f.slope) : NO_APPROACH
      approaching = minutes <= trustMin
      if (!approaching) {
        return { metric: NO_APPROACH, value: null, text: `${head} ${num(value)}${u}，按当前趋势 ${Math.round(trustMin)} 分钟内不会达到 ${num(limit)}${u}` }
      }
      const trend = rateText(Math.abs(f.slope) * 60, point.unit, 60 * MIN)
      return {
        metric: minutes,
        value: Math.round(minutes * 10) / 10,
        text: `${head}${steady}按当前趋势（${trend}）预计 ${Math.round(minutes)} 分钟后达到 ${num(limit)}${u}（当前 ${num(value)}${u}）`
      }
    }
  }
}
