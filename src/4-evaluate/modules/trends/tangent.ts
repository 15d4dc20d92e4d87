// `tangent_angle` (SL-1, improved tangent angle 改进切线角, Xu Qiang et al.): cumulative displacement S(t) is
// normalised by the uniform-stage velocity v, T(t) = S(t)/v, so that both axes are in time units; the angle
// α = arctan(ΔT/Δt) is then 45° while the slope creeps at its uniform velocity and steepens towards 90° as
// it accelerates. ΔT/Δt is the velocity over v, the velocity a least-squares slope over the window.
import type { Point } from '../../../registry/types.js'
import { pointHead } from '../../messages.js'
import type { RuleDef } from '../../rule-file.js'
import { SCHEMA } from './levels.js'
import { bandIssues, bandsOf, durationMsOf, positiveDurationIssues, type Bands } from '../shared/schema.js'
import type { PointKind } from './kind.js'
import { label, rateText, round } from './text.js'
import { ruleWindow } from './window.js'

/** TangentRule is a `tangent_angle` rule's own fields; levels are in degrees. */
export interface TangentRule {
  window: string
  levels: Bands
  /** the point attribute holding v (point unit per day); default uniformVelocityMmPerDay */
  velocityAttribute?: string
  /** v for points without the attribute */
  uniformVelocityPerDay?: number
  /**
   * velocities below this (point unit per day) count as the uniform stage: the daily cycle and noise of a
   * GNSS station move it faster than a slow creep for hours, and would otherwise read as acceleration
   */
  minVelocityPerDay?: number
  for?: string
  minSamples?: number
}

/** VELOCITY_ATTRIBUTE is the point attribute of the uniform-stage velocity (as the simulated fleet names it). */
export const VELOCITY_ATTRIBUTE = 'uniformVelocityMmPerDay'

const DAY = 86_400_000

/** tangentAngle is α in degrees for a velocity and a uniform-stage velocity v (same unit). */
export function tangentAngle (velocity: number, uniform: number): number {
  return Math.atan2(velocity, uniform) * 180 / Math.PI
}

export const tangent: PointKind = {
  schema: {
    required: ['window', 'levels'],
    properties: {
      window: SCHEMA.duration,
      levels: SCHEMA.levels,
      velocityAttribute: SCHEMA.attribute,
      uniformVelocityPerDay: SCHEMA.positive,
      minVelocityPerDay: { type: 'number', minimum: 0 },
      for: SCHEMA.duration,
      minSamples: SCHEMA.minSamples
    }
  },
  issues: (rule, base) => {
    const r = rule as unknown as TangentRule
    return [...positiveDurationIssues(rule, ['window'], base), ...bandIssues(r.levels, 'upper', `${base}/levels`)]
  },
  params: (rule) => {
    const r = rule as unknown as TangentRule
    return { direction: 'upper', forMs: durationMsOf(r.for), levels: bandsOf(r.levels) }
  },
  make: (rule, _site, point) => tangentEvaluator(rule, point)
}

/** uniformVelocityOf is v for a point: its attribute, else the rule's default. */
export function uniformVelocityOf (r: TangentRule, point: Point): number {
  const attr = r.velocityAttribute ?? VELOCITY_ATTRIBUTE
  const v = Number(point.attributes[attr])
  if (point.attributes[attr] !== undefined && Number.isFinite(v) && v > 0) return v
  if (r.uniformVelocityPerDay !== undefined) return r.uniformVelocityPerDay
  throw new Error(`point ${point.code} has no uniform-stage velocity (attribute ${attr} or the rule's uniformVelocityPerDay)`)
}

function tangentEvaluator (rule: RuleDef, point: Point): ReturnType<PointKind['make']> {
  const r = rule as unknown as TangentRule
  const v = uniformVelocityOf(r, point)
  const floor = r.minVelocityPerDay ?? 0
  const w = ruleWindow(r.window, r.minSamples, point.intervalS)
  return {
    observe (ts, value) {
      if (!w.push(ts, value)) return null
      const f = w.fit(DAY)
      if (f === null) return null
      const velocity = f.slope < floor ? Math.min(f.slope, v) : f.slope
      const alpha = tangentAngle(velocity, v)
      const text = `${pointHead(point)}改进切线角 ${round(alpha)}°（${label(point.quantity)}速率 ${rateText(f.slope, point.unit, DAY)}，等速阶段 ${rateText(v, point.unit, DAY)}）`
      return { metric: alpha, value: Math.round(alpha * 10) / 10, text }
    }
  }
}
