// The `window_sum` rule kind as written: each window sums a point's readings over the last `over`
// (per-interval amounts such as rainfall in mm per reporting period) and has threshold levels of its own.
import { LEVELS, type Level } from '../../../contract/index.js'
import { parseDuration } from '../../../lib/time.js'
import type { KindSchema } from '../../module.js'
import type { LevelBand, RuleDef } from '../../rule-file.js'
import type { Issue } from '../../schema-check.js'

/** SumWindow is one window of a window_sum rule: the sum over the last `over` against its levels. */
export interface SumWindow {
  /** duration: 12h, 24h, 30m */
  over: string
  levels: Partial<Record<Level, LevelBand>>
}

/** WindowSumRule is a validated rule of kind `window_sum`. */
export type WindowSumRule = RuleDef & { kind: 'window_sum', windows: SumWindow[] }

const BAND = {
  type: 'object',
  required: ['at', 'release'],
  additionalProperties: false,
  properties: { at: { type: 'number' }, release: { type: 'number' } }
}

/** WINDOW_SUM_SCHEMA is the schema of the kind's own fields. */
export const WINDOW_SUM_SCHEMA: KindSchema = {
  required: ['windows'],
  properties: {
    windows: {
      type: 'array',
      minItems: 1,
      maxItems: 8,
      items: {
        type: 'object',
        required: ['over', 'levels'],
        additionalProperties: false,
        properties: {
          over: { type: 'string', pattern: '^\\d+(ms|s|m|h|d)$' },
          levels: {
            type: 'object',
            minProperties: 1,
            additionalProperties: false,
            properties: { blue: BAND, yellow: BAND, orange: BAND, red: BAND }
          }
        }
      }
    }
  }
}

/** MAX_WINDOW_MS bounds a window: 31 days of readings is already more than any rainfall criterion uses. */
export const MAX_WINDOW_MS = 31 * 86_400_000

/** windowSumIssues checks each window's span and that its bands go up like an upper threshold's. */
export function windowSumIssues (rule: RuleDef, base: string): Issue[] {
  const issues: Issue[] = []
  const spans = new Set<number>()
  for (const [i, w] of (rule as WindowSumRule).windows.entries()) {
    const where = `${base}/windows/${i}`
    const ms = parseDuration(w.over)
    if (ms <= 0 || ms > MAX_WINDOW_MS) issues.push({ path: `${where}/over`, message: `window ${w.over} must be above 0 and at most 31d` })
    if (spans.has(ms)) issues.push({ path: `${where}/over`, message: `a second window of ${w.over}` })
    spans.add(ms)
    let prev: { level: Level, at: number } | undefined
    for (const level of LEVELS) {
      const band = w.levels[level]
      if (band === undefined) continue
      if (band.release >= band.at) issues.push({ path: `${where}/levels/${level}/release`, message: `release ${band.release} must be below at ${band.at}` })
      if (prev !== undefined && band.at <= prev.at) issues.push({ path: `${where}/levels/${level}/at`, message: `at ${band.at} must be above ${prev.level}'s at ${prev.at}` })
      prev = { level, at: band.at }
    }
  }
  return issues
}
