// What the trend kinds share with threshold rules: four-colour levels with release bands, a direction, a
// dwell. The level logic itself is the threshold kind's (stepThreshold), applied to a derived quantity
// (a rate, minutes to a limit, an angle, hours to failure), so hysteresis behaves the same everywhere.
import { DURATION, LEVEL, LEVEL_BANDS } from '../shared/schema.js'

/** SCHEMA holds the JSON Schema fragments the trend kinds' fields reuse (the common ones: shared/schema.ts). */
export const SCHEMA = {
  duration: DURATION,
  direction: { type: 'string', enum: ['upper', 'lower'] },
  levels: LEVEL_BANDS,
  level: LEVEL,
  minSamples: { type: 'integer', minimum: 3, maximum: 10000 },
  attribute: { type: 'string', minLength: 1, maxLength: 64 },
  positive: { type: 'number', exclusiveMinimum: 0 }
} as const
