// The evidence table (migrations/009.do.evidence.sql): the row of a record, and the few queries over it.
import type { Reader, Row } from '../../3-store/types.js'
import type { ChainHead, EvidenceRow } from './chain.js'
import { EMPTY_HEAD } from './chain.js'
import type { Window } from './body.js'

/** EVIDENCE_TABLE holds the ledger; no retention ever applies to it. */
export const EVIDENCE_TABLE = 'evidence'

const COLS = 'seq, alarm_id, site, body, sha256, prev_sha256, ts'

/** SQL names the fixed queries. */
export const SQL = Object.freeze({
  head: `SELECT seq, sha256 FROM ${EVIDENCE_TABLE} ORDER BY seq DESC, ts DESC LIMIT 1`,
  byAlarm: `SELECT ${COLS} FROM ${EVIDENCE_TABLE} WHERE alarm_id = $1 ORDER BY seq LIMIT 1`,
  alarmIds: `SELECT DISTINCT alarm_id FROM ${EVIDENCE_TABLE}`,
  // every alarm's first raise: the window counts from it
  raised: "SELECT alarm_id, min(ts) raised_at FROM alarm_transitions WHERE transition = 'raised' GROUP BY alarm_id",
  /** a page of the ledger in seq order, after a seq (both numbers, inlined: QuestDB takes no bind variable in LIMIT) */
  page: (after: number, size: number) => `SELECT ${COLS} FROM ${EVIDENCE_TABLE} WHERE seq > ${Math.trunc(after)} ORDER BY seq, ts LIMIT ${Math.trunc(size)}`
})

/** toEvidenceRow is the table row of a record. */
export function toEvidenceRow (r: EvidenceRow, ruleId: string, window: Window): Row {
  return {
    symbols: { site: r.site, rule_id: ruleId },
    columns: {
      seq: r.seq,
      alarm_id: r.alarmId,
      window_from: window.from,
      window_to: window.to,
      body: r.body,
      sha256: r.sha256,
      prev_sha256: r.prevSha256
    },
    ints: ['seq'],
    timestamps: ['window_from', 'window_to'],
    ts: r.fixedAt
  }
}

/** fromEvidenceRow reads a stored record back. */
export function fromEvidenceRow (row: Record<string, unknown>): EvidenceRow {
  return {
    seq: Number(row.seq),
    alarmId: String(row.alarm_id ?? ''),
    site: String(row.site ?? ''),
    fixedAt: Number(row.ts),
    body: String(row.body ?? ''),
    sha256: String(row.sha256 ?? ''),
    prevSha256: String(row.prev_sha256 ?? '')
  }
}

/** loadHead reads where the next record links (the empty head for an empty ledger). */
export async function loadHead (reader: Reader): Promise<ChainHead> {
  const [row] = await reader.query<{ seq: unknown, sha256: unknown }>(SQL.head)
  return row === undefined ? EMPTY_HEAD : { seq: Number(row.seq), sha256: String(row.sha256) }
}

/** loadRecord reads an alarm's record, or undefined while it has none. */
export async function loadRecord (reader: Reader, alarmId: string): Promise<EvidenceRow | undefined> {
  const [row] = await reader.query(SQL.byAlarm, [alarmId])
  return row === undefined ? undefined : fromEvidenceRow(row)
}

/** loadUnfixed lists the raised alarms without a record, with the time of their first raise. */
export async function loadUnfixed (reader: Reader): Promise<Array<{ alarmId: string, raisedAt: number }>> {
  const [raised, fixed] = await Promise.all([
    reader.query<{ alarm_id: string, raised_at: unknown }>(SQL.raised),
    reader.query<{ alarm_id: string }>(SQL.alarmIds)
  ])
  const done = new Set(fixed.map((r) => r.alarm_id))
  return raised.filter((r) => !done.has(r.alarm_id)).map((r) => ({ alarmId: r.alarm_id, raisedAt: Number(r.raised_at) }))
}

/** readLedger yields every record in seq order, a page at a time. */
export async function * readLedger (reader: Reader, pageSize = 500): AsyncGenerator<EvidenceRow> {
  let after = 0
  for (;;) {
    const rows = (await reader.query(SQL.page(after, pageSize))).map(fromEvidenceRow)
    for (const r of rows) yield r
    if (rows.length < pageSize) return
    after = (rows.at(-1) as EvidenceRow).seq
  }
}
