// A backtest: replay the stored history of a range through a rule set, report the condition changes it
// would have produced with a summary per rule, and (given the stored alarms) what differs from them.
import type { RuleDef } from '../../4-evaluate/rule-file.js'
import { compareRaises, type ActualRaise, type Comparison } from './compare.js'
import { replay, type ReplayOptions } from './replay.js'
import { changeLines, raisesOf, summarize, type ChangeLine, type Raise, type RuleSummary } from './report.js'
import type { HistorySource, TimeRange } from './types.js'

/** BacktestOptions are the replay's, plus the stored alarms to compare with (left out: no comparison). */
export interface BacktestOptions extends ReplayOptions {
  actual?: (range: TimeRange) => Promise<ActualRaise[]>
  /** how far apart two raises of one key may be and still be the same (default 60 s) */
  toleranceMs?: number
}

/** BacktestReport is everything a backtest found. */
export interface BacktestReport {
  range: TimeRange
  rules: number
  readings: number
  inputs: number
  lines: ChangeLine[]
  raises: Raise[]
  summary: RuleSummary[]
  comparison?: Comparison
  /** engine warnings, and the rules whose evaluation failed */
  warnings: string[]
}

/** runBacktest replays the range of `source` through `rules` and builds the report. */
export async function runBacktest (source: HistorySource, rules: readonly RuleDef[], opts: BacktestOptions): Promise<BacktestReport> {
  const result = await replay(source, rules, opts)
  const range: TimeRange = { from: opts.from, to: opts.to, ...(opts.site === undefined ? {} : { site: opts.site }) }
  const lines = changeLines(result.changes)
  const raises = raisesOf(lines)
  const failed = result.health.filter((h) => h.health === 'err').map((h) => `rule ${h.ruleId} failed ${h.failures} time(s): ${h.lastError ?? ''}`)
  const report: BacktestReport = {
    range,
    rules: rules.length,
    readings: result.readings,
    inputs: result.inputs,
    lines,
    raises,
    summary: summarize(rules, lines),
    warnings: [...result.warnings, ...failed]
  }
  if (opts.actual !== undefined) report.comparison = compareRaises(raises, await opts.actual(range), opts.toleranceMs ?? 60_000)
  return report
}
