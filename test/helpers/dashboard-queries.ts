// Every SQL query of a Grafana dashboard file, as Grafana would send it to the QuestDB datasource for a fixed time
// range: the queries of the template variables (resolved in order, each with the variables before it), of every
// panel (panels nested in rows included) and of the SQL annotations. Used by test/integration/dashboards.test.ts.
//
// Variables: a query variable takes the values its query returns (column __value, else the first column); a
// custom variable its comma-separated list. A multi-value or include-All variable is expanded with all of them (as
// "All" would be); a single-valued one with the first value found in `prefer` (the sites and points the fixture's
// scenarios play on, so that a panel about an incident has one to show), else its first value, as Grafana picks
// on a dashboard's first load. Other variable types are not implemented: they fail.
// Intervals: a query using $__interval_ms runs twice: at the interval Grafana computes for the panel over the
// range (resolution: the panel's maxDataPoints, else its width in pixels on a 1800 px wide dashboard), and at
// the interval of a 30-day range on the same panel (≥ 5 min on any panel), so that both the raw-readings branch and
// the 5-minute-statistics branch of a trend query run. A panel's min interval (`interval`) is honoured.
import { expandSql, intervalMs, parseDuration, type Variable } from './grafana-macros.js'

type Json = Record<string, any>

/** SQL_DATASOURCE is the datasource type of the QuestDB datasource. */
export const SQL_DATASOURCE = 'grafana-postgresql-datasource'
const DASHBOARD_PX = 1800
const LONG_RANGE_MS = 30 * 86_400_000

/** Query runs one SQL statement and returns its rows. */
export type Query = (sql: string) => Promise<Array<Record<string, unknown>>>

/** Outcome is one query run: where it comes from, the SQL sent, and what came back (or the error). */
export interface Outcome {
  /** 'variable site', 'panel "标题" A', 'annotation "名称"' */
  where: string
  /** which interval it ran with, for a query that uses one */
  interval?: string
  /** the SQL as the dashboard has it */
  template: string
  /** the SQL sent (expanded) */
  sql: string
  rows?: number
  error?: string
}

/** PanelTarget is one SQL target of a panel. */
interface PanelTarget { where: string, sql: string, format: string, resolution: number, minIntervalMs: number }

/** panelsOf lists a dashboard's panels, those nested in rows included. */
export function panelsOf (dashboard: Json): Json[] {
  return (dashboard.panels ?? []).flatMap((p: Json) => [p, ...(p.panels ?? [])])
}

/** isSql tells whether a datasource reference (panel, target, variable, annotation) is the QuestDB datasource. */
export function isSql (ds: Json | undefined): boolean {
  return ds?.type === SQL_DATASOURCE
}

/**
 * defaultRange is the time range a dashboard opens with (its `time`, e.g. now-24h .. now) when "now" is `now` (epoch ms):
 * the range the panel-query test runs it for. Only now-N{m,h,d,w} .. now is implemented.
 */
export function defaultRange (dashboard: Json, now: number): { from: number, to: number } {
  const from = /^now-(\d+)([mhdw])$/.exec(String(dashboard.time?.from))
  if (from === null || dashboard.time?.to !== 'now') throw new Error(`time range ${JSON.stringify(dashboard.time)}: only now-N(m|h|d|w) .. now is implemented`)
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[from[2] as 'm']
  return { from: now - Number(from[1]) * unit, to: now }
}

/** runDashboard resolves the variables, then runs every SQL query of the dashboard; one Outcome per run. */
export async function runDashboard (dashboard: Json, range: { from: number, to: number }, query: Query, prefer: readonly string[]): Promise<{ outcomes: Outcome[], vars: Record<string, Variable> }> {
  const outcomes: Outcome[] = []
  const vars: Record<string, Variable> = {}
  const base = { from: range.from, to: range.to, intervalMs: intervalMs(range.to - range.from, DASHBOARD_PX) }
  for (const v of dashboard.templating?.list ?? [] as Json[]) {
    const where = `variable ${String(v.name)}`
    const quoted = v.multi === true || v.includeAll === true
    if (v.type === 'custom') {
      const values = String(v.query ?? '').split(',').map((x) => x.trim()).map((x) => x.includes(' : ') ? x.split(' : ')[1] as string : x).filter((x) => x !== '')
      vars[v.name] = { values: quoted ? values : values.slice(0, 1), quoted }
      outcomes.push({ where, template: String(v.query), sql: String(v.query), rows: values.length })
      continue
    }
    if (v.type !== 'query' || !isSql(v.datasource)) {
      outcomes.push({ where, template: '', sql: '', error: `variables of type ${String(v.type)} on datasource ${String(v.datasource?.type)} are not implemented` })
      continue
    }
    if (v.regex !== undefined && v.regex !== '') outcomes.push({ where, template: '', sql: '', error: 'a variable regex is not implemented' })
    const text = typeof v.query === 'string' ? v.query : String(v.query?.rawSql ?? '')
    let sql = text
    try {
      sql = expandSql(text, { ...base, vars })
      const rows = await query(sql)
      outcomes.push({ where, template: text, sql, rows: rows.length })
      const values = rows.map((r) => String(r.__value ?? Object.values(r)[0]))
      if (values.length === 0) continue
      const chosen = quoted ? values : [prefer.find((x) => values.includes(x)) ?? values[0] as string]
      vars[v.name] = { values: chosen, quoted }
    } catch (err) {
      outcomes.push({ where, template: text, sql, error: (err as Error).message })
    }
  }
  const targets: PanelTarget[] = []
  for (const p of panelsOf(dashboard)) {
    if (p.type === 'row') continue
    const resolution = Number(p.maxDataPoints ?? Math.round((p.gridPos?.w ?? 24) / 24 * DASHBOARD_PX))
    const minIntervalMs = p.interval === undefined || p.interval === '' ? 0 : parseDuration(String(p.interval))
    for (const q of p.targets ?? []) {
      if (!isSql(q.datasource ?? p.datasource)) continue
      targets.push({ where: `panel "${String(p.title)}" ${String(q.refId)}`, sql: String(q.rawSql ?? ''), format: String(q.format ?? 'table'), resolution, minIntervalMs })
    }
  }
  for (const a of dashboard.annotations?.list ?? [] as Json[]) {
    if (a.target === undefined || !isSql(a.target.datasource ?? a.datasource)) continue
    targets.push({ where: `annotation "${String(a.name)}"`, sql: String(a.target.rawSql ?? ''), format: 'table', resolution: DASHBOARD_PX, minIntervalMs: 0 })
  }
  for (const target of targets) {
    const runs = /__interval/.test(target.sql)
      ? [['panel', range.to - range.from], ['30-day range', LONG_RANGE_MS]] as const
      : [['', range.to - range.from]] as const
    for (const [label, span] of runs) {
      const interval = Math.max(target.minIntervalMs, intervalMs(span, target.resolution))
      const outcome: Outcome = { where: target.where, template: target.sql, sql: target.sql, ...(label === '' ? {} : { interval: `${label}: ${interval / 1000} s` }) }
      outcomes.push(outcome)
      try {
        outcome.sql = expandSql(target.sql, { ...base, intervalMs: interval, vars })
        const rows = await query(outcome.sql)
        outcome.rows = rows.length
        const problem = problemOf(rows, target.format)
        if (problem !== undefined) outcome.error = problem
      } catch (err) {
        outcome.error = (err as Error).message
      }
    }
  }
  return { outcomes, vars }
}

// What would leave a panel empty or make Grafana refuse the result: no row; no value other than nulls; for the
// time-series format, no `time` column or rows not in time order (Grafana converts long to wide frames only then).
function problemOf (rows: ReadonlyArray<Record<string, unknown>>, format: string): string | undefined {
  if (rows.length === 0) return 'no rows'
  if (!rows.some((r) => Object.values(r).some((x) => x !== null && x !== undefined))) return `${rows.length} rows, every value null`
  if (format !== 'time_series') return undefined
  if (!('time' in (rows[0] as object))) return 'time_series format without a "time" column'
  const times = rows.map((r) => Number(r.time))
  if (times.some((t, i) => !Number.isFinite(t) || (i > 0 && t < (times[i - 1] as number)))) return 'time_series rows not in ascending time order'
  return undefined
}
