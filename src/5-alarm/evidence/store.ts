// The evidence tables (migrations/009.do.evidence.sql): a record's header row in `evidence` and its body, cut into
// parts, in `evidence_body`; the rows of a record, and the few queries over them.
import type { Reader, Row } from '../../3-store/types.js'
import type { ChainHead, EvidenceRow } from './chain.js'
import { EMPTY_HEAD } from './chain.js'
import type { Window } from './body.js'

/** EVIDENCE_TABLE holds the ledger's headers; no retention ever applies to it. */
export const EVIDENCE_TABLE = 'evidence'
/** BODY_TABLE holds the records' bodies in parts; no retention ever applies to it either. */
export const BODY_TABLE = 'evidence_body'
/** EVIDENCE_TABLES are read back at start and by the verifier, once their WAL is applied. */
export const EVIDENCE_TABLES = [EVIDENCE_TABLE, BODY_TABLE] as const
/** PART_CHARS bounds a part: at most 3 UTF-8 bytes a UTF-16 unit keeps it well under the PG wire's 1 MiB row buffer. */
export const PART_CHARS = 200_000

const COLS = 'seq, alarm_id, site, parts, sha256, prev_sha256, ts'

/** SQL names the fixed queries. */
export const SQL = Object.freeze({
  head: `SELECT seq, sha256 FROM ${EVIDENCE_TABLE} ORDER BY seq DESC, ts DESC LIMIT 1`,
  byAlarm: `SELECT ${COLS} FROM ${EVIDENCE_TABLE} WHERE alarm_id = $1 ORDER BY seq LIMIT 1`,
  alarmIds: `SELECT DISTINCT alarm_id FROM ${EVIDENCE_TABLE}`,
  // every alarm's first raise: the window counts from it
  raised: "SELECT alarm_id, min(ts) raised_at FROM alarm_transitions WHERE transition = 'raised' GROUP BY alarm_id",
  /** a page of headers in seq order after a seq (numbers inlined: QuestDB takes no bind variable in LIMIT) */
  page: (after: number, size: number) => `SELECT ${COLS} FROM ${EVIDENCE_TABLE} WHERE seq > ${Math.trunc(after)} ORDER BY seq, ts LIMIT ${Math.trunc(size)}`,
  /** the body parts of the records with from < seq <= to */
  parts: (from: number, to: number) => `SELECT seq, part, text FROM ${BODY_TABLE} WHERE seq > ${Math.trunc(from)} AND seq <= ${Math.trunc(to)} ORDER BY seq, part, ts`
})

/** splitBody cuts a body into parts of at most `size` UTF-16 units, never inside a surrogate pair. */
export function splitBody (body: string, size = PART_CHARS): string[] {
  const parts: string[] = []
  for (let at = 0; at < body.length || parts.length === 0;) {
    let end = Math.min(body.length, at + size)
    const code = body.charCodeAt(end - 1)
    if (end < body.length && code >= 0xd800 && code <= 0xdbff) end-- // a high surrogate stays with its pair
    parts.push(body.slice(at, end))
    at = end
  }
  return parts
}

/** evidenceRows are the rows of a record: its body parts (written first) and its header. */
export function evidenceRows (r: EvidenceRow, ruleId: string, window: Window): { parts: Row[], header: Row } {
  const texts = splitBody(r.body)
  return {
    parts: texts.map((text, part) => ({ columns: { seq: r.seq, part, text }, ints: ['seq', 'part'], ts: r.fixedAt })),
    header: {
      symbols: { site: r.site, rule_id: ruleId },
      columns: { seq: r.seq, alarm_id: r.alarmId, window_from: window.from, window_to: window.to, parts: texts.length, sha256: r.sha256, prev_sha256: r.prevSha256 },
      ints: ['seq', 'parts'],
      timestamps: ['window_from', 'window_to'],
      ts: r.fixedAt
    }
  }
}

/** fromEvidenceRow reads a stored header back, with the body joined from its parts. */
export function fromEvidenceRow (row: Record<string, unknown>, body: string): EvidenceRow {
  return {
    seq: Number(row.seq),
    alarmId: String(row.alarm_id ?? ''),
    site: String(row.site ?? ''),
    fixedAt: Number(row.ts),
    body,
    sha256: String(row.sha256 ?? ''),
    prevSha256: String(row.prev_sha256 ?? '')
  }
}

/** loadHead reads where the next record links (the empty head for an empty ledger). */
export async function loadHead (reader: Reader): Promise<ChainHead> {
  const [row] = await reader.query<{ seq: unknown, sha256: unknown }>(SQL.head)
  return row === undefined ? EMPTY_HEAD : { seq: Number(row.seq), sha256: String(row.sha256) }
}

// The bodies of the records with from < seq <= to, joined from their parts.
async function bodies (reader: Reader, from: number, to: number): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  for (const p of await reader.query<{ seq: unknown, text: unknown }>(SQL.parts(from, to))) {
    const seq = Number(p.seq)
    out.set(seq, (out.get(seq) ?? '') + String(p.text ?? ''))
  }
  return out
}

/** loadRecord reads an alarm's record, or undefined while it has none. */
export async function loadRecord (reader: Reader, alarmId: string): Promise<EvidenceRow | undefined> {
  const [row] = await reader.query(SQL.byAlarm, [alarmId])
  if (row === undefined) return undefined
  const seq = Number(row.seq)
  return fromEvidenceRow(row, (await bodies(reader, seq - 1, seq)).get(seq) ?? '')
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

/** readLedger yields every record in seq order, a page of headers (and their bodies) at a time. */
export async function * readLedger (reader: Reader, pageSize = 100): AsyncGenerator<EvidenceRow> {
  let after = 0
  for (;;) {
    const headers = await reader.query(SQL.page(after, pageSize))
    if (headers.length === 0) return
    const last = Number(headers.at(-1)?.seq)
    const texts = await bodies(reader, after, last)
    for (const h of headers) yield fromEvidenceRow(h, texts.get(Number(h.seq)) ?? '')
    if (headers.length < pageSize) return
    after = last
  }
}
