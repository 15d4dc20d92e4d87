// What Grafana does to a dashboard's SQL before the QuestDB datasource (Grafana's PostgreSQL datasource,
// grafana/provisioning/datasources/questdb.yaml) sends it, for the macros and variables minewatch's dashboards use,
// and nothing more: anything else fails loudly (UnknownMacro), so a dashboard cannot use a macro this expander
// does not know and still pass the panel-query test.
//
// Grafana expands in two passes, and so does expandSql:
//  1. the browser (templateSrv.replace, with the SQL datasource's interpolateVariable) replaces template variables
//     ($site, ${site}, [[site]]) and the built-in interval variables. A single-valued variable goes in as it is,
//     with every ' doubled; a multi-value or include-All variable goes in as a list of quoted literals
//     ('a','b'), All meaning every value of the variable (minewatch sets no custom allValue).
//  2. the server (pkg/tsdb/grafana-postgresql-datasource/macros.go and sqleng's Interpolate) replaces
//     $__interval_ms, and every $__name(args) by its macro: $__timeFilter(col) → col BETWEEN 'from' AND 'to',
//     $__timeFrom() → 'from', $__timeTo() → 'to', times in UTC, RFC 3339 with the fraction trimmed (Go's
//     time.RFC3339Nano). The server knows more macros; the dashboards use these three. $__timeGroup must not be
//     used: it expands to extract(epoch from …), which QuestDB lacks (grafana/README.md).
//
// The interval is Grafana's: the time range divided by the panel's resolution (maxDataPoints, else its width in
// pixels), rounded to a "nice" interval (rangeutil.roundInterval), and not below the panel's min interval or the
// datasource's timeInterval (10s).

/** Variable is a template variable's current selection: its values, and whether Grafana quotes them (multi or include-All). */
export interface Variable { values: readonly string[], quoted: boolean }

/** ExpandContext is the time range, interval and variables one query is expanded for. */
export interface ExpandContext {
  /** time range, epoch ms */
  from: number
  to: number
  /** $__interval_ms */
  intervalMs: number
  /** template variables by name */
  vars: Readonly<Record<string, Variable>>
}

/** UnknownMacro is a $name, ${name…}, [[name]] or $__name(…) the expander does not implement. */
export class UnknownMacro extends Error {
  override name = 'UnknownMacro'
}

/** GLOBALS are Grafana's built-in variables the expander implements: only $__interval_ms. */
const GLOBALS = new Set(['__interval_ms'])
/** MACROS are the server-side macros the expander implements. */
const MACROS = new Set(['__timeFilter', '__timeFrom', '__timeTo'])

// templateSrv's variable regex: $name, [[name(:format)]], ${name(.fieldPath)(:format)}
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g
// sqleng's macro regex
const MACRO = /\$([_a-zA-Z0-9]+)\(([^)]*)\)/g

/** expandSql expands `sql` as Grafana would for `ctx`; throws UnknownMacro naming anything it does not implement. */
export function expandSql (sql: string, ctx: ExpandContext): string {
  const frontend = sql.replace(VARIABLE, (match: string, plain?: string, bracket?: string, bracketFormat?: string, braced?: string, fieldPath?: string, format?: string, offset?: number) => {
    const name = (plain ?? bracket ?? braced) as string
    if (bracketFormat !== undefined || fieldPath !== undefined || format !== undefined) {
      throw new UnknownMacro(`${match}: variable formats and field paths are not implemented`)
    }
    // $__timeFilter( … is a server macro: the browser leaves it alone, as it does any name it does not know
    if (plain !== undefined && sql[(offset as number) + match.length] === '(' && name.startsWith('__')) return match
    // $1 (a regexp_replace back-reference): no variable has a numeric name, and Grafana leaves what it does not know
    if (/^\d+$/.test(name)) return match
    if (GLOBALS.has(name)) return String(ctx.intervalMs)
    const v = ctx.vars[name]
    if (v === undefined) throw new UnknownMacro(`${match}: no such variable or built-in variable`)
    if (!v.quoted) {
      if (v.values.length !== 1) throw new UnknownMacro(`${match}: a single-valued variable with ${v.values.length} values`)
      return (v.values[0] as string).replace(/'/g, "''")
    }
    if (v.values.length === 0) throw new UnknownMacro(`${match}: a multi-value variable with no value`)
    return v.values.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')
  })
  return frontend.replace(MACRO, (match: string, name: string, args: string) => {
    if (!MACROS.has(name)) throw new UnknownMacro(`${match}: unknown macro $${name}`)
    const from = rfc3339Nano(ctx.from)
    const to = rfc3339Nano(ctx.to)
    if (name === '__timeFrom') return `'${from}'`
    if (name === '__timeTo') return `'${to}'`
    const column = args.split(',')[0]?.trim() ?? ''
    if (column === '') throw new UnknownMacro(`${match}: missing time column argument`)
    return `${column} BETWEEN '${from}' AND '${to}'`
  })
}

/** usedMacros lists the $__name(…) macros and built-in $__variables a query uses (for the test's summary). */
export function usedMacros (sql: string): string[] {
  return [...new Set([...sql.matchAll(/\$\{?(__\w+)/g)].map((m) => `$${m[1] as string}`))].sort()
}

/** rfc3339Nano formats epoch ms as Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped. */
export function rfc3339Nano (ms: number): string {
  const iso = new Date(ms).toISOString()
  return iso.replace(/\.(\d*?)0*Z$/, (_m, frac: string) => frac === '' ? 'Z' : `.${frac}Z`)
}

/** DATASOURCE_MIN_INTERVAL_MS is the QuestDB datasource's timeInterval (10s). */
export const DATASOURCE_MIN_INTERVAL_MS = 10_000

/** intervalMs is the $__interval_ms Grafana computes for a range, a resolution (data points) and a min interval. */
export function intervalMs (rangeMs: number, resolution: number, minIntervalMs = DATASOURCE_MIN_INTERVAL_MS): number {
  return Math.max(minIntervalMs, roundInterval(rangeMs / resolution))
}

/** parseDuration reads a panel's min interval ("1h", "30s", "5m", "1d"). */
export function parseDuration (text: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(text.trim())
  if (m === null) throw new UnknownMacro(`interval "${text}": not a duration Grafana's panel options take`)
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'ms']
  return Number(m[1]) * unit
}

// Grafana's rangeutil.roundInterval: the nice interval below which an interval falls.
const ROUNDING: ReadonlyArray<readonly [number, number]> = [
  [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000], [7500, 5000],
  [12_500, 10_000], [17_500, 15_000], [25_000, 20_000], [45_000, 30_000], [90_000, 60_000], [210_000, 120_000],
  [450_000, 300_000], [750_000, 600_000], [1_050_000, 900_000], [1_500_000, 1_200_000], [2_700_000, 1_800_000],
  [5_400_000, 3_600_000], [9_000_000, 7_200_000], [16_200_000, 10_800_000], [32_400_000, 21_600_000],
  [86_400_000, 43_200_000], [604_800_000, 86_400_000], [1_814_400_000, 604_800_000], [3_628_800_000, 2_592_000_000]
]

/** roundInterval is Grafana's rounding of an interval (ms) to a nice one. */
export function roundInterval (ms: number): number {
  for (const [below, nice] of ROUNDING) if (ms < below) return nice
  return 31_536_000_000
}
