// `inverse_velocity` (SL-2, Fukuzono 1985): in tertiary creep the inverse velocity 1/v falls about linearly
// to zero at failure. Velocities are least-squares slopes over a short `velocityWindow` (a difference of two
// noisy GNSS samples is useless), dated at that window's centre; 1/v is fitted against time over `window`
// while every velocity exceeds a floor (a run of acceleration) and the fit falls; where the line meets zero
// is the predicted failure time t_f. t_f − now within `horizon` raises the rule's level (red), with t_f.
import type { Point } from '../../../registry/types.js'
import { pointHead } from '../../messages.js'
import type { RuleDef } from '../../rule-file.js'
import { SCHEMA } from './levels.js'
import { durationMsOf, positiveDurationIssues } from '../shared/schema.js'
import type { Level } from '../../../contract/index.js'
import type { Judgement, PointKind } from './kind.js'
import { NO_APPROACH } from './predict.js'
import { beijingTime, label, rateText, round } from './text.js'
import { LineFit, type LineResult } from './fit.js'
import { SampleWindow, windowCapacity } from './window.js'

/** InverseRule is an `inverse_velocity` rule's own fields. */
export interface InverseRule {
  /** span of the 1/v fit */
  window: string
  /** span of each velocity estimate */
  velocityWindow: string
  /** raise when the predicted failure lies within this */
  horizon: string
  /** clear when it lies beyond this (hysteresis; default 1.5 × horizon) or acceleration stops */
  release?: string
  /** every velocity in the window must exceed this (point unit per hour): acceleration of a moving slope */
  minVelocityPerHour: number
  /** the 1/v line must fit at least this well, default 0.8 */
  minR2?: number
  /** velocity estimates needed in the window, default 6 */
  minSamples?: number
  level?: Level
}

const HOUR = 3_600_000
const DEFAULT_MIN_R2 = 0.8
const DEFAULT_MIN_VELOCITIES = 6

/** FailureFit is the outcome of an inverse-velocity fit: t_f in the fit's time unit, relative to its origin. */
export interface FailureFit { fit: LineResult, failureAt: number }

/**
 * failureTime fits 1/v against t and returns where the line reaches zero, or null when the points do not
 * show acceleration: a velocity at or below `minVelocity`, a 1/v that does not fall, or a fit below `minR2`.
 */
export function failureTime (ts: readonly number[], velocities: readonly number[], minVelocity: number, minR2: number): FailureFit | null {
  const f = new LineFit()
  for (let i = 0; i < ts.length; i++) {
    const v = velocities[i] as number
    if (!(v > minVelocity)) return null
    f.add(ts[i] as number, 1 / v)
  }
  const fit = f.result()
  if (fit === null || !(fit.slope < 0) || fit.r2 < minR2) return null
  return { fit, failureAt: -fit.intercept / fit.slope }
}

export const inverse: PointKind = {
  schema: {
    required: ['window', 'velocityWindow', 'horizon', 'minVelocityPerHour'],
    properties: {
      window: SCHEMA.duration,
      velocityWindow: SCHEMA.duration,
      horizon: SCHEMA.duration,
      release: SCHEMA.duration,
      minVelocityPerHour: SCHEMA.positive,
      minR2: { type: 'number', minimum: 0, maximum: 1 },
      minSamples: SCHEMA.minSamples,
      level: SCHEMA.level
    }
  },
  issues: (rule, base) => {
    const r = rule as unknown as InverseRule
    const issues = positiveDurationIssues(rule, ['window', 'velocityWindow', 'horizon'], base)
    if (r.release !== undefined && durationMsOf(r.release) <= durationMsOf(r.horizon)) {
      issues.push({ path: `${base}/release`, message: `release ${r.release} must be longer than horizon ${r.horizon}` })
    }
    return issues
  },
  // fewer hours to failure is worse: one level, a lower threshold on the hours
  params: (rule) => {
    const r = rule as unknown as InverseRule
    const at = durationMsOf(r.horizon) / HOUR
    const release = r.release === undefined ? 1.5 * at : durationMsOf(r.release) / HOUR
    return { direction: 'lower', forMs: 0, levels: [{ level: r.level ?? 'red', at, release }] }
  },
  make: (rule, _site, point) => inverseEvaluator(rule, point)
}

function inverseEvaluator (rule: RuleDef, point: Point): ReturnType<PointKind['make']> {
  const r = rule as unknown as InverseRule
  const vwMs = durationMsOf(r.velocityWindow)
  const spanMs = durationMsOf(r.window)
  const minR2 = r.minR2 ?? DEFAULT_MIN_R2
  const minVelocities = r.minSamples ?? DEFAULT_MIN_VELOCITIES
  const raw = new SampleWindow(vwMs, windowCapacity(vwMs, point.intervalS))
  const vel = new SampleWindow(spanMs, windowCapacity(spanMs, point.intervalS))
  const head = `${pointHead(point)}${label(point.quantity)}`
  /** centre time of the first velocity estimate of the current run above the floor (NaN: no run) */
  let runStart = NaN
  return {
    observe (ts, value): Judgement | null {
      raw.push(ts, value)
      if (!raw.ready(3)) return null
      const f = raw.fit(HOUR)
      if (f === null) return null
      const now = rateText(f.slope, point.unit, HOUR)
      // a least-squares slope estimates the velocity at the middle of its window
      const centre = ts - vwMs / 2
      if (!(f.slope > r.minVelocityPerHour)) {
        // acceleration must persist: a slow estimate ends the run and its fit
        runStart = NaN
        vel.clear()
        return { metric: NO_APPROACH, value: null, text: `${head}速率 ${now}，速度倒数未呈加速破坏趋势` }
      }
      if (Number.isNaN(runStart)) runStart = centre
      // the first estimates of a run still average in the slow movement before it: they read too slow, 1/v
      // too high, and tilt the line towards an early failure (by most of an hour when movement starts
      // abruptly). Fit only estimates whose whole window lies inside the run.
      if (centre - vwMs / 2 < runStart) return null
      vel.push(centre, f.slope)
      if (!vel.ready(minVelocities)) return null
      const ts2: number[] = []
      const vs: number[] = []
      for (let i = 0; i < vel.length; i++) {
        const s = vel.at(i)
        ts2.push((s.ts - ts) / HOUR)
        vs.push(s.value)
      }
      const fit = failureTime(ts2, vs, r.minVelocityPerHour, minR2)
      if (fit === null) return { metric: NO_APPROACH, value: null, text: `${head}速率 ${now}，速度倒数未呈加速破坏趋势` }
      const hours = fit.failureAt
      const predictedAt = Math.round(ts + hours * HOUR)
      return {
        metric: hours,
        value: Math.round(hours * 100) / 100,
        predictedAt,
        text: `${head}速率 ${now}，速度倒数法预测 ${beijingTime(predictedAt)}（北京时间）失稳破坏，距今 ${round(hours)} 小时`
      }
    }
  }
}
