// What a per-point trend kind is: the evaluator of one point's window and what it concludes, and what the
// evaluators of one rule in one site share. The machinery that binds and runs them is point-kinds.ts.
import type { Point, Site } from '../../../registry/types.js'
import type { ThresholdParams } from '../../steps/threshold.js'
import type { KindSchema } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { Issue } from '../../issue.js'

/** Judgement is what an evaluator concluded from its window after one reading. */
export interface Judgement {
  /** the derived quantity the rule's levels are about (finite: a sentinel where "no trend") */
  metric: number
  /** the change's value (null when there is nothing to report, e.g. no approach to the limit) */
  value: number | null
  /** the situation in Chinese, after the point's name: "CO 上升速率 8 ppm/h" */
  text: string
  /** predicted event time (epoch ms) of a forecast, e.g. the failure time of SL-2 */
  predictedAt?: number
}

/** PointEvaluator judges one point's window; null when the window cannot be judged yet. */
export interface PointEvaluator {
  observe: (ts: number, value: number) => Judgement | null
}

/**
 * SiteScope is what the evaluators of one rule's points in one site share, by name, and keep across rebinds:
 * what one point saw that concerns its neighbours (blasting.ts: a blast detected at one point holds all).
 */
export interface SiteScope {
  shared: Map<string, unknown>
}

/** PointKind describes one per-point trend kind. */
export interface PointKind {
  schema: KindSchema
  issues?: (rule: RuleDef, base: string) => Issue[]
  /** params are the level semantics (direction, dwell, bands) the metric is judged with */
  params: (rule: RuleDef) => ThresholdParams
  /** make builds the evaluator of one point; throws when the point or its site lacks what the rule needs */
  make: (rule: RuleDef, site: Site, point: Point, scope: SiteScope) => PointEvaluator
  /** what of the site an evaluator is built from (its declared blast times): when it changes, it is rebuilt */
  siteVersion?: (rule: RuleDef, site: Site) => string
}
