// What the trend kinds share with threshold rules: four-colour levels with release bands, a direction, a
// dwell. The level logic itself is the threshold kind's (stepThreshold), applied to a derived quantity
// (a rate, minutes to a limit, an angle, hours to failure), so hysteresis behaves the same everywhere.
import { LEVELS, type Level } from '../../../contract/index.js'
import { parseDuration } from '../../../lib/time.js'
import type { EffectiveLevel } from '../../compiled.js'
import type { Direction, LevelBand } from '../../rule-file.js'
import type { Issue } from '../../schema-check.js'

/** Bands is a rule's `levels` field: 1–4 colours, each raised at `at` and held while beyond `release`. */
export type Bands = Partial<Record<Level, LevelBand>>

const band = {
  type: 'object',
  required: ['at', 'release'],
  additionalProperties: false,
  properties: { at: { type: 'number' }, release: { type: 'number' } }
}

/** SCHEMA holds the JSON Schema fragments the trend kinds' fields reuse. */
export const SCHEMA = {
  duration: { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d)$', description: 'e.g. 30s, 10m, 2h, 1d' },
  direction: { type: 'string', enum: ['upper', 'lower'] },
  levels: {
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    properties: Object.fromEntries(LEVELS.map((l) => [l, band]))
  },
  level: { $ref: 'https://minewatch.example/schemas/v1/common.json#/definitions/Level' },
  minSamples: { type: 'integer', minimum: 3, maximum: 10000 },
  attribute: { type: 'string', minLength: 1, maxLength: 64 },
  positive: { type: 'number', exclusiveMinimum: 0 }
} as const

/** bandsOf lists a rule's levels lowest first, as stepThreshold wants them. */
export function bandsOf (levels: Bands): EffectiveLevel[] {
  const out: EffectiveLevel[] = []
  for (const level of LEVELS) {
    const b = levels[level]
    if (b !== undefined) out.push({ level, at: b.at, release: b.release })
  }
  return out
}

/** durationMsOf reads a schema-valid duration field (absent: `fallback`). */
export function durationMsOf (text: unknown, fallback = 0): number {
  return typeof text === 'string' ? parseDuration(text) : fallback
}

/** bandIssues checks that releases lie on the safe side of their `at` and the `at`s rise blue→red (mirrored for lower). */
export function bandIssues (levels: Bands, direction: Direction, base: string): Issue[] {
  const upper = direction === 'upper'
  const issues: Issue[] = []
  let prev: { level: Level, at: number } | undefined
  for (const level of LEVELS) {
    const b = levels[level]
    if (b === undefined) continue
    const where = `${base}/levels/${level}`
    if (upper ? b.release >= b.at : b.release <= b.at) {
      issues.push({ path: `${where}/release`, message: `release ${b.release} must be ${upper ? 'below' : 'above'} at ${b.at} (${direction})` })
    }
    if (prev !== undefined && (upper ? b.at <= prev.at : b.at >= prev.at)) {
      issues.push({ path: `${where}/at`, message: `at ${b.at} must be ${upper ? 'above' : 'below'} ${prev.level}'s at ${prev.at} (${direction})` })
    }
    prev = { level, at: b.at }
  }
  return issues
}

/** positiveDurationIssues flags duration fields that are zero (the schema already checked their form). */
export function positiveDurationIssues (rule: object, fields: readonly string[], base: string): Issue[] {
  const r = rule as Record<string, unknown>
  return fields.filter((f) => typeof r[f] === 'string' && parseDuration(r[f]) <= 0)
    .map((f) => ({ path: `${base}/${f}`, message: `${f} must be longer than 0` }))
}
