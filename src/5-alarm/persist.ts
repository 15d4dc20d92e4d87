// The audit trail in QuestDB (migrations/002.do.alarms.sql): one row per transition, each carrying the whole
// alarm after it, so the latest row of an alarm is its state. Writes go through the group-commit Writer; reads
// are the few queries below, each tested against a real QuestDB (test/integration/alarms-persist.test.ts).
import type { Reader } from '../3-store/types.js'
import type { Alarm, AlarmTransitionRecord } from './types.js'
import { DEFAULT_LIST_LIMIT, type AlarmFilters } from './book.js'
import { fromRow } from './rows.js'

export { fromRow, publishedRow, toRow } from './rows.js'

/** TRANSITIONS_TABLE holds every alarm transition. */
export const TRANSITIONS_TABLE = 'alarm_transitions'
/** PUBLISHED_TABLE records which transitions JetStream acknowledged. */
export const PUBLISHED_TABLE = 'alarm_published'
/** ALARM_TABLES are read back at start: their WAL must be applied first (3-store/wal.ts), so a restart reads every row. */
export const ALARM_TABLES = [TRANSITIONS_TABLE, PUBLISHED_TABLE] as const

const COLUMNS = ['alarm_id', 'seq', 'transition', 'category', 'level', 'site', 'points', 'rule_id', 'rule_version',
  'title', 'message', 'source', 'value', 'limit_value', 'started_at', 'event_ts', 'condition_ts', 'late',
  'hazard_clause', 'active', 'state', 'by_user', 'assignee', 'disposition', 'note', 'evidence', 'alarm_key', 'predicted_at',
  'raised_at', 'escalation', 'overdue', 'dispatch_deadline', 'verification_overdue', 'shelved_until', 'shelve_reason', 'shelved_by', 'shelve_approved_by', 'shelf_maintenance', 'ts']
const COLS = COLUMNS.join(', ')
const LATEST = `SELECT ${COLS} FROM ${TRANSITIONS_TABLE}`

/** SQL names the fixed queries, so a test fake can tell them apart. */
export const SQL = Object.freeze({
  open: `SELECT ${COLS} FROM (${LATEST} LATEST ON ts PARTITION BY alarm_id) WHERE state != 'closed' ORDER BY ts`,
  // A closed alarm gets no further rows, so the latest row of a key is the state of its latest alarm: when
  // that one was closed while its condition still held, it seeds the engine at restart.
  closedActive: `SELECT ${COLS} FROM (${LATEST} LATEST ON ts PARTITION BY alarm_key) WHERE state = 'closed' AND active ORDER BY ts`,
  latest: `${LATEST} WHERE alarm_id = $1 LATEST ON ts PARTITION BY alarm_id`,
  // by ts within a seq too: an action whose write timed out yet landed, then retried, leaves two rows of one
  // seq; readers keep the last (mergeRecords)
  history: `${LATEST} WHERE alarm_id = $1 ORDER BY seq, ts`,
  unpublished: `SELECT ${COLUMNS.map((c) => 't.' + c).join(', ')} FROM ${TRANSITIONS_TABLE} t ` +
    `LEFT JOIN (SELECT alarm_id, seq FROM ${PUBLISHED_TABLE} WHERE ts >= $1) p ON t.alarm_id = p.alarm_id AND t.seq = p.seq ` +
    'WHERE t.ts >= $1 AND p.alarm_id IS NULL ORDER BY t.ts, t.seq',
  /** the list query starts with this; its filters are appended */
  listPrefix: `SELECT ${COLS} FROM (${LATEST} WHERE ts >= $1`
})

/** loadOpenAlarms returns the open alarms, and each key's latest alarm if it was closed while active, oldest change first. */
export async function loadOpenAlarms (reader: Reader): Promise<Alarm[]> {
  const [open, closedActive] = await Promise.all([reader.query(SQL.open), reader.query(SQL.closedActive)])
  return [...open, ...closedActive].map((row) => fromRow(row).alarm).sort((a, b) => a.detectedAt - b.detectedAt)
}

/** loadLatest returns an alarm's state after its last transition, or undefined for an unknown id. */
export async function loadLatest (reader: Reader, alarmId: string): Promise<Alarm | undefined> {
  const [row] = await reader.query(SQL.latest, [alarmId])
  return row === undefined ? undefined : fromRow(row).alarm
}

/** loadHistory returns every transition of an alarm in seq order. */
export async function loadHistory (reader: Reader, alarmId: string): Promise<AlarmTransitionRecord[]> {
  return (await reader.query(SQL.history, [alarmId])).map(fromRow)
}

/** loadUnpublished returns the transitions since sinceMs that JetStream never acknowledged, in (ts, seq) order. */
export async function loadUnpublished (reader: Reader, sinceMs: number): Promise<AlarmTransitionRecord[]> {
  return (await reader.query(SQL.unpublished, [new Date(sinceMs).toISOString()])).map(fromRow)
}

/** listAlarms returns alarms in any state (their latest row) passing the filters, newest change first. */
export async function listAlarms (reader: Reader, f: AlarmFilters): Promise<Alarm[]> {
  if (f.sites !== undefined && f.sites.size === 0) return []
  const params: unknown[] = [new Date(f.since ?? 0).toISOString()]
  const param = (v: unknown): string => { params.push(v); return `$${params.length}` }
  // site and category never change within an alarm, so they may filter rows before LATEST ON; level may not.
  let sql = SQL.listPrefix
  if (f.site !== undefined) sql += ` AND site = ${param(f.site)}`
  if (f.sites !== undefined) sql += ` AND site IN (${[...f.sites].map(param).join(', ')})`
  if (f.category !== undefined) sql += ` AND category = ${param(f.category)}`
  sql += ' LATEST ON ts PARTITION BY alarm_id)'
  if (f.level !== undefined) sql += ` WHERE level = ${param(f.level)}`
  sql += ` ORDER BY ts DESC LIMIT ${Math.trunc(f.limit ?? DEFAULT_LIST_LIMIT)}`
  return (await reader.query(sql, params)).map((row) => fromRow(row).alarm)
}
