// The evidence queries (src/5-alarm/evidence/store.ts) answered from a FakeWriter's rows, for unit tests; the SQL
// itself runs against a real QuestDB in test/integration/evidence.test.ts.
import { BODY_TABLE, EVIDENCE_TABLE, fromEvidenceRow, SQL } from '../../../../src/5-alarm/evidence/store.js'
import type { EvidenceRow } from '../../../../src/5-alarm/evidence/chain.js'
import type { FakeWriter, Flat, Handler as FakeHandler } from '../../../helpers/fake-store.js'

type Handler = FakeHandler

/** storedLedger joins the written headers and body parts into records, in write order. */
export function storedLedger (writer: FakeWriter): EvidenceRow[] {
  const parts = writer.rows(BODY_TABLE)
  const bodyOf = (seq: number): string => parts.filter((p) => Number(p.seq) === seq).sort((a, b) => Number(a.part) - Number(b.part)).map((p) => String(p.text)).join('')
  return writer.rows(EVIDENCE_TABLE).map((h) => fromEvidenceRow(h, bodyOf(Number(h.seq))))
}

/** evidenceQueries answers the ledger's queries (nothing pending in the WAL) from `writer`. */
export function evidenceQueries (writer: FakeWriter): Handler {
  const headers = (): Flat[] => writer.rows(EVIDENCE_TABLE)
  return (sql, params) => {
    if (sql.includes('wal_tables()')) return []
    if (sql === SQL.head) return [...headers()].sort((a, b) => Number(b.seq) - Number(a.seq)).slice(0, 1)
    if (sql === SQL.byAlarm) return headers().filter((r) => r.alarm_id === params[0]).slice(0, 1)
    if (sql === SQL.alarmIds) return headers().map((r) => ({ alarm_id: r.alarm_id }))
    const parts = /FROM evidence_body WHERE seq > (\d+) AND seq <= (\d+)/.exec(sql)
    if (parts !== null) {
      const [from, to] = [Number(parts[1]), Number(parts[2])]
      return writer.rows(BODY_TABLE).filter((p) => Number(p.seq) > from && Number(p.seq) <= to).sort((a, b) => Number(a.seq) - Number(b.seq) || Number(a.part) - Number(b.part))
    }
    return undefined
  }
}
