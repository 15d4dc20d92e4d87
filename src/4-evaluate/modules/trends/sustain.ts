// A rise that held all along, not only on average. A least-squares line through a window that is flat
// for two thirds and then jumps still rises, and so does one through a spike and its decay: a blast's
// fumes arriving at a sensor look like that. `sustain` asks every part of the window to move towards the
// limit at a rate of its own — CG-6's "rising at a constant rate" — so a plume whose rise at the sensor
// lasts minutes, or a value already falling back, predicts nothing, while a fire's rise that keeps going
// does. The floor keeps sensor noise from passing for a rise in a part.
import type { Direction } from '../../rule-file.js'
import { SCHEMA } from './levels.js'
import type { RuleWindow } from './window.js'

/** SustainSpec is a `sustain` field: the window in `parts` parts, each approaching at ≥ minRatePerHour. */
export interface SustainSpec {
  parts: number
  minRatePerHour: number
}

/** SUSTAIN_SCHEMA is the JSON Schema of the `sustain` field. */
export const SUSTAIN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['parts', 'minRatePerHour'],
  properties: {
    parts: { type: 'integer', minimum: 2, maximum: 12 },
    minRatePerHour: SCHEMA.positive
  }
} as const

const HOUR = 3_600_000

/**
 * sustained tells whether every part of the window approaches the limit (upper: rises, lower: falls) at
 * the spec's rate or faster; a part without three readings cannot tell, so it is not.
 */
export function sustained (w: RuleWindow, spec: SustainSpec, direction: Direction): boolean {
  return w.parts(HOUR, spec.parts).every((f) => f !== null && (direction === 'upper' ? f.slope : -f.slope) >= spec.minRatePerHour)
}
