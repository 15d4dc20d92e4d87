// JSON Schema fragments and checks the module kinds share, so a duration or a level band reads the same in
// every rule file whatever its kind.
import { LEVELS, type Level } from '../../../contract/index.js'
import { DURATION_PATTERN, parseDuration } from '../../../lib/duration.js'
import type { EffectiveLevel } from '../../compiled.js'
import type { Direction, LevelBand } from '../../rule-file.js'
import type { Issue } from '../../issue.js'

const COMMON = 'https://minewatch.example/schemas/v1/common.json#/definitions'

/**
 * DURATION is one number with its unit (lib/duration.ts), less what parseDuration tolerates for other callers:
 * surrounding blanks, compound forms, and a bare number, which would silently mean milliseconds.
 */
export const DURATION = { type: 'string', pattern: DURATION_PATTERN, description: 'e.g. 30s, 10m, 1.5h, 1d' } as const

/** LEVEL is one of the four colours. */
export const LEVEL = { $ref: `${COMMON}/Level` } as const

/** SITE_KINDS is a non-empty list of site kinds (hazardSiteKind: where a rule's hazard clause applies). */
export const SITE_KINDS = { type: 'array', minItems: 1, items: { $ref: `${COMMON}/SiteKind` } } as const

/** SITE_STATUSES is a non-empty list of site statuses. */
export const SITE_STATUSES = { type: 'array', minItems: 1, items: { $ref: `${COMMON}/SiteStatus` } } as const

const BAND = {
  type: 'object',
  required: ['at', 'release'],
  additionalProperties: false,
  properties: { at: { type: 'number' }, release: { type: 'number' } }
} as const

/** LEVEL_BANDS is a `levels` field: 1–4 colours, each raised at `at` and held while beyond `release`. */
export const LEVEL_BANDS = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: Object.fromEntries(LEVELS.map((l) => [l, BAND]))
} as const

/** Bands is a `levels` field as read. */
export type Bands = Partial<Record<Level, LevelBand>>

/** bandsOf lists the bands lowest first, as stepThreshold wants them. */
export function bandsOf (levels: Bands): EffectiveLevel[] {
  const out: EffectiveLevel[] = []
  for (const level of LEVELS) {
    const b = levels[level]
    if (b !== undefined) out.push({ level, at: b.at, release: b.release })
  }
  return out
}

/**
 * bandIssues checks that each release lies on the safe side of its `at` and the `at`s rise blue→red
 * (mirrored for lower); `where` is the JSON pointer of the `levels` field.
 */
export function bandIssues (levels: Bands, direction: Direction, where: string): Issue[] {
  const upper = direction === 'upper'
  const issues: Issue[] = []
  let prev: { level: Level, at: number } | undefined
  for (const level of LEVELS) {
    const b = levels[level]
    if (b === undefined) continue
    const at = `${where}/${level}`
    if (upper ? b.release >= b.at : b.release <= b.at) {
      issues.push({ path: `${at}/release`, message: `release ${b.release} must be ${upper ? 'below' : 'above'} at ${b.at} (${direction})` })
    }
    if (prev !== undefined && (upper ? b.at <= prev.at : b.at >= prev.at)) {
      issues.push({ path: `${at}/at`, message: `at ${b.at} must be ${upper ? 'above' : 'below'} ${prev.level}'s at ${prev.at} (${direction})` })
    }
    prev = { level, at: b.at }
  }
  return issues
}

/** durationMsOf reads a schema-valid duration field (absent: `fallback`). */
export function durationMsOf (text: unknown, fallback = 0): number {
  return typeof text === 'string' ? parseDuration(text, { bare: 'ms' }) : fallback
}

/** positiveDurationIssues flags duration fields that are zero (the schema already checked their form). */
export function positiveDurationIssues (rule: object, fields: readonly string[], base: string): Issue[] {
  const r = rule as Record<string, unknown>
  return fields.filter((f) => typeof r[f] === 'string' && parseDuration(r[f], { bare: 'ms' }) <= 0)
    .map((f) => ({ path: `${base}/${f}`, message: `${f} must be longer than 0` }))
}
