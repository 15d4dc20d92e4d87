// Retention (issue 10 item 6): how long each table keeps its rows, with the standards' minimums checked by the
// configuration (domain-standards DQ-7, HC-3). Whole partitions older than a table's retention are dropped, at
// start and daily, and each drop is logged with the partitions it took; nothing goes silently:
// - raw readings of tailings ponds are archived permanently (DQ-7) into readings_archive before their partitions go;
// - alarm transitions are kept unless MINEWATCH_ALARM_RETENTION_DAYS is set (then ≥ 1 year, dropped with a warning);
// - evidence, its bodies and the audit trail are never dropped: no policy names them;
// - the 5-minute statistics view uses QuestDB's own TTL (a view takes no DROP PARTITION), set in whole months.
// Explicit drops rather than table TTLs: a TTL would take tailings readings without archiving them (migration 013
// removed the raw readings' TTL of migration 001).
import type { Config } from '../server/config/load.js'
import type { Log } from '../lib/log.js'
import { sqlTimestamp, type Reader } from './types.js'

/** TablePolicy keeps a table's rows for `days` (0: for good); `archive` copies some rows elsewhere first. */
export interface TablePolicy { table: string, days: number, archive?: { into: string, columns: string, where: string }, warn?: boolean }

/** DAY_MS is one day. */
const DAY_MS = 86_400_000

// tailings ponds as registered (a site that was one at any time counts: archiving too much is the safe side)
const TAILINGS_SITES = 'site IN (SELECT DISTINCT site FROM sites WHERE kind = \'tailings_pond\')'

/** policies lists every table with a retention, from the configuration. */
export function policies (r: Config['retention']): TablePolicy[] {
  return [
    { table: 'readings', days: r.rawDays, archive: { into: 'readings_archive', columns: 'site, point, value, status, received_at, ts', where: TAILINGS_SITES } },
    { table: 'personnel_snapshots', days: r.positionsDays },
    { table: 'video_heartbeats', days: r.heartbeatDays },
    { table: 'personnel_headcount', days: r.eventsDays },
    { table: 'personnel_events', days: r.eventsDays },
    { table: 'video_events', days: r.eventsDays },
    { table: 'notifications', days: r.eventsDays },
    { table: 'alarm_published', days: r.eventsDays },
    { table: 'alarm_transitions', days: r.alarmDays, warn: true }
  ]
}

/** Partition is one of a table's partitions, as table_partitions() lists it. */
export interface Partition { name: string, maxTimestamp: number, active: boolean }

/** expired lists the partitions wholly older than the cutoff; the active (newest) one is never dropped. */
export function expired (partitions: readonly Partition[], cutoff: number): Partition[] {
  return partitions.filter((p) => !p.active && p.maxTimestamp < cutoff)
}

/** TableOutcome is what one table's retention did. */
export interface TableOutcome { table: string, dropped: string[], archived: number }

/** applyTable drops a table's expired partitions (archiving first when the policy says so). */
export async function applyTable (reader: Reader, p: TablePolicy, now: number, log: Log): Promise<TableOutcome> {
  const outcome: TableOutcome = { table: p.table, dropped: [], archived: 0 }
  if (p.days <= 0) return outcome
  const cutoff = now - p.days * DAY_MS
  const old = expired(await reader.query<Partition>(`SELECT name, maxTimestamp, active FROM table_partitions('${p.table}')`), cutoff)
  if (old.length === 0) return outcome
  const until = Math.max(...old.map((x) => x.maxTimestamp))
  if (p.archive !== undefined) {
    const range = `ts <= ${sqlTimestamp(until)} AND ${p.archive.where}`
    const [count] = await reader.query<{ n: number }>(`SELECT count() n FROM ${p.table} WHERE ${range}`)
    outcome.archived = Number(count?.n ?? 0)
    if (outcome.archived > 0) await reader.query(`INSERT INTO ${p.archive.into} SELECT ${p.archive.columns} FROM ${p.table} WHERE ${range}`)
  }
  await reader.query(`ALTER TABLE ${p.table} DROP PARTITION LIST ${old.map((x) => `'${x.name}'`).join(', ')}`)
  outcome.dropped = old.map((x) => x.name)
  log[p.warn === true ? 'warn' : 'info']({ table: p.table, retentionDays: p.days, dropped: outcome.dropped, archived: outcome.archived }, 'retention: partitions dropped')
  return outcome
}

/** applyRetention runs every policy (a table that fails is logged and the others go on) and sets the view's TTL. */
export async function applyRetention (reader: Reader, r: Config['retention'], now: number, log: Log): Promise<TableOutcome[]> {
  await reader.query(`ALTER MATERIALIZED VIEW readings_5m SET TTL ${Math.trunc(r.statsMonths)} MONTHS`)
  const out: TableOutcome[] = []
  for (const p of policies(r)) {
    try {
      out.push(await applyTable(reader, p, now, log))
    } catch (err) {
      log.error({ err, table: p.table }, 'retention: table not trimmed; tried again at the next run')
    }
  }
  return out
}
