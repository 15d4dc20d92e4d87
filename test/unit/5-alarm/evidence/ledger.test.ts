// evidence ledger - the one writer over in-memory storage: concurrent appends are stored one at a time as one
// unbroken chain, a failed write is retried as the very same row, and a new writer (a restart) continues from
// the stored head instead of forking.
import t from 'tap'
import { asyncScheduler } from 'rxjs'
import { silentLog } from '../../../../src/lib/log.js'
import { createLedger } from '../../../../src/5-alarm/evidence/ledger.js'
import { BODY_TABLE, EVIDENCE_TABLE, PART_CHARS, splitBody } from '../../../../src/5-alarm/evidence/store.js'
import { verifyChain } from '../../../../src/5-alarm/evidence/verify.js'
import { FakeReader, FakeWriter } from '../../../helpers/fake-store.js'
import { evidenceQueries, storedLedger } from './fake-ledger.js'

const T0 = Date.parse('2026-12-05T08:00:00.000Z')
const WINDOW = { from: T0 - 1800_000, to: T0 + 600_000 }

function storage (): { writer: FakeWriter, reader: FakeReader } {
  const writer = new FakeWriter()
  return { writer, reader: new FakeReader().on(evidenceQueries(writer)) }
}

const record = (i: number): { alarmId: string, site: string, fixedAt: number, body: unknown } => {
  const fixedAt = T0 + i * 1000
  return { alarmId: `A${i}`, site: 'S1', fixedAt, body: { alarmId: `A${i}`, site: 'S1', fixedAt: new Date(fixedAt).toISOString(), n: i } }
}

const stored = storedLedger

t.test('evidence ledger - concurrent appends are written one at a time, as one chain', async (t) => {
  const { writer, reader } = storage()
  writer.delayMs = 5
  const ledger = createLedger({ reader, writer, scheduler: asyncScheduler, log: silentLog })
  await ledger.start()
  const rows = await Promise.all([1, 2, 3, 4, 5].map(async (i) => await ledger.append(record(i), 'gas.co.limit', WINDOW)))
  t.same(rows.map((r) => r.seq), [1, 2, 3, 4, 5], 'seq in call order')
  t.equal(writer.maxInFlight, 1, 'never two writes at once')
  t.same(verifyChain(stored(writer)), { ok: true, count: 5 })
  t.same(ledger.head(), { seq: 5, sha256: rows[4]?.sha256 })
})

t.test('evidence ledger - a failed write is retried as the same row: same seq, digest and fixed-at time', async (t) => {
  const { writer, reader } = storage()
  const ledger = createLedger({ reader, writer, scheduler: asyncScheduler, log: silentLog, retryMinMs: 1, retryMaxMs: 2 })
  await ledger.start()
  await ledger.append(record(1), 'r', WINDOW)
  writer.failNext(2)
  const row = await ledger.append(record(2), 'r', WINDOW)
  t.equal(writer.calls.filter((c) => c.table === BODY_TABLE).length, 4, 'two failures, then stored')
  t.same(stored(writer).at(-1), row)
  t.same(verifyChain(stored(writer)), { ok: true, count: 2 })
})

t.test('evidence ledger - a new writer continues from the stored head', async (t) => {
  const { writer, reader } = storage()
  const first = createLedger({ reader, writer, scheduler: asyncScheduler, log: silentLog })
  await first.start()
  await first.append(record(1), 'r', WINDOW)
  await first.append(record(2), 'r', WINDOW)
  await first.close()
  const second = createLedger({ reader, writer, scheduler: asyncScheduler, log: silentLog })
  await second.start()
  const row = await second.append(record(3), 'r', WINDOW)
  t.equal(row.seq, 3)
  t.same(verifyChain(stored(writer)), { ok: true, count: 3 })
})

t.test('evidence ledger - closing ends a write that keeps failing; nothing is linked', async (t) => {
  const { writer, reader } = storage()
  const ledger = createLedger({ reader, writer, scheduler: asyncScheduler, log: silentLog, retryMinMs: 1, retryMaxMs: 2 })
  await ledger.start()
  writer.failNext(Number.MAX_SAFE_INTEGER)
  const append = ledger.append(record(1), 'r', WINDOW)
  await writer.started(2)
  await ledger.close()
  await t.rejects(append)
  t.same(ledger.head(), { seq: 0, sha256: '0'.repeat(64) }, 'the head did not move')
  t.same(stored(writer), [])
})

t.test('evidence ledger - a large body is stored in parts that join back to it, never split inside a character', async (t) => {
  const { writer, reader } = storage()
  const ledger = createLedger({ reader, writer, scheduler: asyncScheduler, log: silentLog })
  await ledger.start()
  const big = { ...record(1), body: { ...(record(1).body as object), readings: Array.from({ length: 20_000 }, (_, i) => ({ point: `CO-${i % 7}`, value: i, note: '一氧化碳😀' })) } }
  const row = await ledger.append(big, 'r', WINDOW)
  t.ok(row.body.length > 2 * PART_CHARS, `a body of ${row.body.length} characters`)
  t.ok(writer.rows(BODY_TABLE).length >= 3, `${writer.rows(BODY_TABLE).length} parts`)
  t.same(verifyChain(stored(writer)), { ok: true, count: 1 }, 'the joined parts verify')
  t.equal(writer.rows(EVIDENCE_TABLE)[0]?.parts, writer.rows(BODY_TABLE).length, 'the header counts its parts')
})

t.test('evidence ledger - splitBody keeps a surrogate pair whole and always gives at least one part', async (t) => {
  t.same(splitBody('ab😀cd', 3), ['ab', '😀c', 'd'])
  t.same(splitBody('', 3), [''])
  t.same(splitBody('abcdef', 3), ['abc', 'def'])
})
