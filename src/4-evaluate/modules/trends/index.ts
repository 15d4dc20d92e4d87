// The trends module (监测预警): kinds judged on a point's recent trend rather than its latest value —
// rates of change (CG-6, SL-3), linear extrapolation to a limit, and the two slope-failure criteria
// (SL-1 improved tangent angle, SL-2 inverse velocity).
import { inverse } from './inverse.js'
import { pointKindsModule } from './point-kinds.js'
import { predict } from './predict.js'
import { rate } from './rate.js'
import { tangent } from './tangent.js'

/** TRENDS is the rule module of the kinds rate, predict, tangent_angle and inverse_velocity. */
export const TRENDS = pointKindsModule('trends', {
  rate,
  predict,
  tangent_angle: tangent,
  inverse_velocity: inverse
})
