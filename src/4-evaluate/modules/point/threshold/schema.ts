// The fields of a `threshold` rule (rule-file.ts ThresholdRuleSpec mirrors them by hand).
import type { KindSchema } from '../../../module.js'
import { LEVEL, LEVEL_BANDS } from '../../shared/schema.js'

const ATTRIBUTE_NAME = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 64 } as const

const LEVEL_ATTRIBUTES = {
  type: 'object',
  description: 'levels relative to another attribute than `attribute`',
  minProperties: 1,
  additionalProperties: false,
  properties: { blue: ATTRIBUTE_NAME, yellow: ATTRIBUTE_NAME, orange: ATTRIBUTE_NAME, red: ATTRIBUTE_NAME }
} as const

const SCALE = {
  type: 'object',
  description: "at and release are relative to design values the point carries as attributes (in the point's unit); a point without them is not bound",
  required: ['attribute'],
  additionalProperties: false,
  properties: {
    attribute: ATTRIBUTE_NAME,
    levels: LEVEL_ATTRIBUTES,
    by: { type: 'string', enum: ['factor', 'offset'], description: 'factor: at × value (value > 0, the default); offset: value + at' }
  }
} as const

/** THRESHOLD_SCHEMA is the schema of a threshold rule's own fields. */
export const THRESHOLD_SCHEMA: KindSchema = {
  required: ['direction', 'levels'],
  properties: {
    direction: { type: 'string', enum: ['upper', 'lower'] },
    // no pattern: the semantic check explains what is wrong with a duration (a bare number, say)
    for: { type: 'string', description: 'dwell before the first raise: 0s, 10s, 5m, 2h' },
    levels: LEVEL_BANDS,
    alarmLevel: LEVEL,
    cutLevel: LEVEL,
    hazardLevel: { ...LEVEL, description: 'the lowest level hazardClause applies to; lower levels carry none (default: every level)' },
    scale: SCALE
  }
}
