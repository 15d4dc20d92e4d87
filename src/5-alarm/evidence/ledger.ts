// The one writer of the evidence ledger. Appends run one at a time, each linking to the head the previous one
// left, so the chain cannot fork; the head is read back from QuestDB at start (after its WAL is applied), so it
// cannot fork across a restart either. A record that cannot be stored is retried as the very same row (same
// seq, digest and fixed-at time): if a write that seemed to fail had in fact landed, the retry upserts it.
import type { SchedulerLike } from 'rxjs'
import type { Reader, Writer } from '../../3-store/types.js'
import { walApplied } from '../../3-store/wal.js'
import { sleep } from '../../lib/sleep.js'
import type { Log } from '../../lib/log.js'
import { createKeyedSerializer } from '../serial.js'
import { link, type ChainHead, type EvidenceRow, type NewRecord } from './chain.js'
import { BODY_TABLE, EVIDENCE_TABLE, EVIDENCE_TABLES, evidenceRows, loadHead } from './store.js'
import type { Window } from './body.js'

/** LedgerOptions wire the ledger to storage and time (retries wait on the scheduler). */
export interface LedgerOptions { reader: Reader, writer: Writer, scheduler: SchedulerLike, log: Log, retryMinMs?: number, retryMaxMs?: number }

/** Ledger appends records in order. */
export interface Ledger {
  /** start reads the head; call once before append */
  start: () => Promise<void>
  /** append links and stores the next record; it rejects only when the ledger is closing */
  append: (r: NewRecord, ruleId: string, window: Window) => Promise<EvidenceRow>
  head: () => ChainHead
  /** close stops retries and waits for the append in progress */
  close: () => Promise<void>
}

/** createLedger builds the ledger's writer. */
export function createLedger (o: LedgerOptions): Ledger {
  const serial = createKeyedSerializer()
  const closing = new AbortController()
  let head: ChainHead | undefined

  const store = async (row: EvidenceRow, ruleId: string, window: Window): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        // the body first: a header is the record, and it is never visible without its body
        const rows = evidenceRows(row, ruleId, window)
        await o.writer.writeRows(BODY_TABLE, rows.parts)
        await o.writer.writeRows(EVIDENCE_TABLE, [rows.header])
        return
      } catch (err) {
        o.log[attempt === 0 ? 'error' : 'debug']({ err, seq: row.seq, alarmId: row.alarmId, attempt }, 'cannot store evidence record; retrying')
        // closing: the record is not linked; the next start reads the head again and fixes the alarm then
        await sleep(Math.min(o.retryMaxMs ?? 5000, (o.retryMinMs ?? 200) * 2 ** attempt), o.scheduler, closing.signal)
      }
    }
  }

  // A head read before every stored row is visible would fork the chain: no head rather than a stale one.
  const readHead = async (): Promise<ChainHead | undefined> =>
    await walApplied(o.reader, EVIDENCE_TABLES, { timeoutMs: 30_000 }) ? await loadHead(o.reader) : undefined

  return {
    async start () {
      head = await readHead()
      if (head !== undefined) o.log.info({ seq: head.seq }, 'evidence ledger head loaded')
      else o.log.warn({}, 'QuestDB has not applied all evidence rows yet: the head is read again before the first append')
    },
    append: async (r, ruleId, window) => await serial.run('ledger', async () => {
      while (head === undefined) {
        head = await readHead()
        if (head === undefined) await sleep(1000, o.scheduler, closing.signal)
      }
      const row = link(head, r)
      await store(row, ruleId, window)
      head = { seq: row.seq, sha256: row.sha256 }
      return row
    }),
    head: () => head ?? { seq: 0, sha256: '' },
    async close () {
      closing.abort()
      await serial.idle()
    }
  }
}
