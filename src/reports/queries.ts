// The SQL behind the KPI report (docs/kpi.md), one query per kind of data, each bounded by the range and the
// sites asked for. Times are inlined as literals built from numbers (sqlTimestamp); site codes are parameters.
import { sqlTimestamp, type Reader } from '../3-store/types.js'
import { TRANSITIONS_TABLE } from '../5-alarm/persist.js'
import { POINT_LINK_RULE, SITE_LINK_RULE } from './outages.js'
import type { Span } from './spans.js'
import type { Beat, KpiData, PointVersion, ReadingCount, TransitionRow } from './types.js'

/** HEARTBEAT_TABLE holds minewatch's own heartbeat (migrations/012). */
export const HEARTBEAT_TABLE = 'server_heartbeat'

const COLS = 'alarm_id, seq, transition, category, level, site, rule_id, points, state, active, disposition, ts'
const LINK_RULES = `rule_id IN ('${SITE_LINK_RULE}', '${POINT_LINK_RULE}')`

interface Raw { alarm_id: string, seq: number, transition: string, category: string, level: string, site: string, rule_id: string, points: string | null, state: string, active: boolean, disposition: string | null, ts: number }

function row (r: Raw): TransitionRow {
  return {
    alarmId: r.alarm_id,
    seq: Number(r.seq),
    transition: r.transition,
    category: r.category as TransitionRow['category'],
    level: r.level as TransitionRow['level'],
    site: r.site,
    ruleId: r.rule_id,
    points: r.points === null || r.points === '' ? [] : r.points.split(','),
    state: r.state,
    active: r.active === true,
    disposition: (r.disposition ?? null) as TransitionRow['disposition'],
    ts: r.ts
  }
}

// " AND <column> IN ($1, …)" for the sites, with the parameters
function inSites (column: string, sites: readonly string[]): { sql: string, params: string[] } {
  return { sql: ` AND ${column} IN (${sites.map((_, i) => `$${i + 1}`).join(', ')})`, params: [...sites] }
}

/** readKpiData reads everything the report of `sites` over `range` ([from, until)) needs. */
export async function readKpiData (reader: Reader, range: Span, sites: readonly string[], now: number): Promise<Omit<KpiData, 'sites'>> {
  if (sites.length === 0) return { range, now, linkRows: [], cohort: [], raises: [], readings: [], points: [], beats: await readBeats(reader, range) }
  const from = sqlTimestamp(range[0])
  const until = sqlTimestamp(range[1])
  const s = inSites('site', sites)
  const t = inSites('t.site', sites)
  const [before, during, cohort, raises, readings, points, beats] = await Promise.all([
    // each link alarm's state at `from`: its latest row before it
    reader.query<Raw>(`SELECT ${COLS} FROM ${TRANSITIONS_TABLE} WHERE ${LINK_RULES} AND ts < ${from}${s.sql} LATEST ON ts PARTITION BY alarm_id`, s.params),
    reader.query<Raw>(`SELECT ${COLS} FROM ${TRANSITIONS_TABLE} WHERE ${LINK_RULES} AND ts >= ${from} AND ts < ${until}${s.sql}`, s.params),
    // every row since `from` of the alarms first raised within the range (their handling may end after it)
    reader.query<Raw>(`SELECT ${COLS.split(', ').map((c) => `t.${c}`).join(', ')} FROM ${TRANSITIONS_TABLE} t ` +
      `JOIN (SELECT DISTINCT alarm_id FROM ${TRANSITIONS_TABLE} WHERE transition = 'raised' AND seq = 1 AND ts >= ${from} AND ts < ${until}${s.sql}) r ` +
      `ON t.alarm_id = r.alarm_id WHERE t.ts >= ${from}${t.sql}`, s.params),
    reader.query<{ site: string, ts: number }>(`SELECT site, ts FROM ${TRANSITIONS_TABLE} WHERE transition = 'raised' AND ts >= ${from} AND ts < ${until}${s.sql}`, s.params),
    // count() is a LONG, which the PG wire driver hands over as a string
    reader.query<{ site: string, point: string, n: string | number }>(`SELECT site, point, count() n FROM readings WHERE ts >= ${from} AND ts < ${until}${s.sql} GROUP BY site, point`, s.params),
    reader.query<{ site: string, point: string, definition: string, deleted: boolean, ts: number }>(`SELECT site, point, definition, deleted, ts FROM points WHERE ts < ${until}${s.sql}`, s.params),
    readBeats(reader, range)
  ])
  return {
    range,
    now,
    linkRows: [...before, ...during].map(row),
    cohort: cohort.map(row),
    raises,
    readings: readings.map((r): ReadingCount => ({ site: r.site, point: r.point, count: Number(r.n) })),
    points: points.map((p): PointVersion => ({ site: p.site, point: p.point, intervalS: p.deleted ? null : intervalOf(p.definition), ts: p.ts })),
    beats
  }
}

function intervalOf (definition: string): number | null {
  try {
    const d = JSON.parse(definition) as { intervalS?: unknown }
    return typeof d.intervalS === 'number' && d.intervalS > 0 ? d.intervalS : null
  } catch {
    return null
  }
}

// the beats within the range, the last before it and the first after it (they decide the edges)
async function readBeats (reader: Reader, range: Span): Promise<Beat[]> {
  const q = async (where: string, order: string): Promise<Array<{ ts: number, period_s: number }>> =>
    await reader.query(`SELECT ts, period_s FROM ${HEARTBEAT_TABLE} WHERE ${where} ORDER BY ts ${order}`)
  const [before, during, after] = await Promise.all([
    q(`ts < ${sqlTimestamp(range[0])}`, 'DESC LIMIT 1'),
    q(`ts >= ${sqlTimestamp(range[0])} AND ts < ${sqlTimestamp(range[1])}`, ''),
    q(`ts >= ${sqlTimestamp(range[1])}`, 'LIMIT 1')
  ])
  return [...before, ...during, ...after].map((b) => ({ ts: b.ts, periodMs: Number(b.period_s) * 1000 }))
}
