// The `window_sum` rule kind as written: each window sums a point's readings over the last `over`
// (per-interval amounts such as rainfall in mm per reporting period) and has threshold levels of its own.
import { parseDuration } from '../../../lib/duration.js'
import type { KindSchema } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { Issue } from '../../issue.js'
import { DURATION, LEVEL_BANDS, bandIssues, type Bands } from '../shared/schema.js'

/** SumWindow is one window of a window_sum rule: the sum over the last `over` against its levels. */
export interface SumWindow {
  /** duration: 12h, 24h, 30m */
  over: string
  levels: Bands
}

/** WindowSumRule is a validated rule of kind `window_sum`. */
export type WindowSumRule = RuleDef & { kind: 'window_sum', windows: SumWindow[] }

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
          over: DURATION,
          levels: LEVEL_BANDS
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
    const ms = parseDuration(w.over, { bare: 'ms' })
    if (ms <= 0 || ms > MAX_WINDOW_MS) issues.push({ path: `${where}/over`, message: `window ${w.over} must be above 0 and at most 31d` })
    if (spans.has(ms)) issues.push({ path: `${where}/over`, message: `a second window of ${w.over}` })
    spans.add(ms)
    // a sum only grows with the rain: its bands go up like an upper threshold's
    issues.push(...bandIssues(w.levels, 'upper', `${where}/levels`))
  }
  return issues
}
