// Rendering a backtest report: a table for people (times in Beijing time, as the duty room reads them)
// or JSON for tools (times as RFC 3339 with +08:00, and epoch ms).
import type { BacktestReport } from './backtest.js'
import type { ChangeLine, Raise } from './report.js'

const CST_MS = 8 * 3_600_000

/** beijingTime renders epoch ms as "2026-11-20 08:00:05" in China Standard Time (UTC+8, no DST). */
export function beijingTime (ms: number): string {
  const iso = new Date(ms + CST_MS).toISOString()
  return iso.slice(0, 10) + ' ' + iso.slice(11, ms % 1000 === 0 ? 19 : 23)
}

/** beijingIso renders epoch ms as RFC 3339 with the +08:00 offset. */
export function beijingIso (ms: number): string {
  return new Date(ms + CST_MS).toISOString().replace('Z', '+08:00')
}

const level = (l: string | null): string => l ?? '-'

/** formatTable renders the report as text lines: the changes, the summary per rule, the comparison. */
export function formatTable (r: BacktestReport): string[] {
  const out: string[] = []
  out.push(`backtest ${beijingTime(r.range.from)} .. ${beijingTime(r.range.to)} (UTC+8)${r.range.site === undefined ? '' : ` site ${r.range.site}`}: ` +
    `${r.rules} rules, ${r.readings} readings and ${r.inputs} other inputs replayed`)
  out.push('')
  if (r.lines.length === 0) out.push('no condition changes')
  else {
    out.push(...columns([
      ['time (UTC+8)', 'rule', 'site', 'subject', 'level', 'category', 'message'],
      ...r.lines.map((l) => [beijingTime(l.eventTs), l.ruleId, l.site, l.subject, `${level(l.from)} -> ${level(l.to)}`, l.category, withClause(l)])
    ]))
  }
  out.push('')
  out.push(...columns([
    ['rule', 'category', 'raised', 'changes', 'subjects', 'max level'],
    ...r.summary.map((s) => [s.ruleId, s.category, String(s.raised), String(s.changes), String(s.subjects), level(s.maxLevel)])
  ]))
  out.push('')
  const c = r.comparison
  if (c === undefined) out.push(`would raise ${r.raises.length} alarm(s)`)
  else {
    out.push(`would raise ${c.would}, actually raised ${c.actual} (a raise of the same key within ${c.toleranceMs / 1000} s is the same)`)
    out.push(c.new.length === 0 ? 'new: none' : 'new:', ...c.new.map((x) => `  ${raiseText(x)}`))
    out.push(c.gone.length === 0 ? 'gone: none' : 'gone:', ...c.gone.map((x) => `  ${raiseText(x)} (alarm ${x.alarmId})`))
  }
  for (const w of r.warnings) out.push(`warning: ${w}`)
  return out
}

/** formatJson renders the report as one JSON document. */
export function formatJson (r: BacktestReport): string {
  const time = (ms: number): { ms: number, beijing: string } => ({ ms, beijing: beijingIso(ms) })
  return JSON.stringify({
    ...r,
    range: { ...r.range, from: time(r.range.from), to: time(r.range.to) },
    lines: r.lines.map((l) => ({ ...l, eventTs: time(l.eventTs), foundAt: time(l.foundAt) })),
    raises: r.raises.map((x) => ({ ...x, eventTs: time(x.eventTs) })),
    ...(r.comparison === undefined
      ? {}
      : {
          comparison: {
            ...r.comparison,
            new: r.comparison.new.map((x) => ({ ...x, eventTs: time(x.eventTs) })),
            gone: r.comparison.gone.map((x) => ({ ...x, eventTs: time(x.eventTs) }))
          }
        })
  }, null, 2)
}

function withClause (l: ChangeLine): string {
  return l.hazardClause === null ? l.message : `${l.message} [${l.hazardClause}]`
}

function raiseText (x: Raise): string {
  return `${beijingTime(x.eventTs)}  ${x.ruleId}  ${x.site}  ${x.subject}  ${x.level}`
}

// Left-aligned columns; the last column is not padded (the message, which may be long and Chinese).
function columns (rows: string[][]): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length) })
  return rows.map((row) => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd())
}
