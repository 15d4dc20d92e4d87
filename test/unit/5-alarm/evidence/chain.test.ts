// evidence chain - the canonical body, the digest over (prev digest + body), and the verifier: an intact ledger
// verifies with its count; changing, removing, reordering or re-linking one record fails at that very record.
import t from 'tap'
import { createHash } from 'node:crypto'
import { canonicalBody, chainDigest, EMPTY_HEAD, GENESIS, link, type EvidenceRow } from '../../../../src/5-alarm/evidence/chain.js'
import { describe, verifyChain } from '../../../../src/5-alarm/evidence/verify.js'

const T0 = Date.parse('2026-12-05T08:00:00.000Z')

/** ledger builds n linked records, as the writer does */
function ledger (n: number): EvidenceRow[] {
  const rows: EvidenceRow[] = []
  let head = EMPTY_HEAD
  for (let i = 1; i <= n; i++) {
    const fixedAt = T0 + i * 60_000
    const alarmId = `A${String(i).padStart(17, '0')}`
    const row = link(head, { alarmId, site: 'S1', fixedAt, body: { alarmId, site: 'S1', fixedAt: new Date(fixedAt).toISOString(), readings: [{ point: 'CO-1', value: i }], 说明: '一氧化碳' } })
    rows.push(row)
    head = { seq: row.seq, sha256: row.sha256 }
  }
  return rows
}

t.test('evidence chain - the canonical body sorts keys at every depth and ignores the input order', async (t) => {
  const a = canonicalBody({ b: 1, a: { d: [2, { z: 1, y: '矿' }], c: null } })
  const b = canonicalBody({ a: { c: null, d: [2, { y: '矿', z: 1 }] }, b: 1 })
  t.equal(a, '{"a":{"c":null,"d":[2,{"y":"矿","z":1}]},"b":1}')
  t.equal(a, b, 'the same content gives the same text')
})

t.test('evidence chain - each digest is SHA-256 over the previous digest then the body; the first links to 64 zeros', async (t) => {
  const rows = ledger(3)
  t.equal(rows[0]?.prevSha256, GENESIS)
  t.equal(GENESIS, '0'.repeat(64))
  for (const [i, r] of rows.entries()) {
    const prev = i === 0 ? GENESIS : (rows[i - 1] as EvidenceRow).sha256
    t.equal(r.seq, i + 1, `seq ${i + 1}`)
    t.equal(r.prevSha256, prev, `record ${r.seq} links to its predecessor`)
    t.equal(r.sha256, createHash('sha256').update(prev + r.body, 'utf8').digest('hex'), `record ${r.seq}: sha256(prev + body)`)
    t.equal(chainDigest(prev, r.body), r.sha256)
  }
})

t.test('evidence chain - an intact ledger verifies, with its count; an empty one too', async (t) => {
  t.same(verifyChain(ledger(5)), { ok: true, count: 5 })
  t.same(verifyChain([]), { ok: true, count: 0 })
  t.match(describe(verifyChain(ledger(5))), /^OK: 5 evidence record\(s\)/)
})

t.test('evidence chain - a changed body fails at that record, naming it and both digests', async (t) => {
  const rows = ledger(5)
  const target = rows[2] as EvidenceRow
  const altered = target.body.replace('"value":3', '"value":2')
  t.not(altered, target.body, 'the body was changed')
  rows[2] = { ...target, body: altered }
  const v = verifyChain(rows)
  t.match(v, { ok: false, count: 2, broken: { seq: 3, alarmId: target.alarmId, reason: 'digest', expected: chainDigest(target.prevSha256, altered), found: target.sha256 } })
  t.match(describe(v), new RegExp(`^BROKEN at seq 3 \\(alarm ${target.alarmId}\\): digest mismatch`))
})

t.test('evidence chain - a record re-hashed after a change still breaks the link of the next one', async (t) => {
  const rows = ledger(4)
  const target = rows[1] as EvidenceRow
  const body = target.body.replace('"value":2', '"value":9')
  rows[1] = { ...target, body, sha256: chainDigest(target.prevSha256, body) }
  t.match(verifyChain(rows), { ok: false, count: 2, broken: { seq: 3, reason: 'link', expected: rows[1]?.sha256, found: target.sha256 } })
})

t.test('evidence chain - a removed record shows as a gap at the record after it', async (t) => {
  const rows = ledger(4)
  rows.splice(1, 1)
  t.match(verifyChain(rows), { ok: false, count: 1, broken: { seq: 3, reason: 'seq', expected: 'seq 2', found: 'seq 3' } })
})

t.test('evidence chain - a column that disagrees with the body (alarm, site, fixed at) fails at that record', async (t) => {
  const rows = ledger(3)
  rows[1] = { ...(rows[1] as EvidenceRow), site: 'S2' }
  t.match(verifyChain(rows), { ok: false, count: 1, broken: { seq: 2, reason: 'columns' } })
  const again = ledger(3)
  again[2] = { ...(again[2] as EvidenceRow), fixedAt: T0 }
  t.match(verifyChain(again), { ok: false, count: 2, broken: { seq: 3, reason: 'columns' } })
})

t.test('evidence chain - a body that is not canonical JSON fails even when its digest was recomputed', async (t) => {
  const rows = ledger(2)
  const target = rows[1] as EvidenceRow
  const body = ' ' + target.body
  rows[1] = { ...target, body, sha256: chainDigest(target.prevSha256, body) }
  t.match(verifyChain(rows), { ok: false, count: 1, broken: { seq: 2, reason: 'body', expected: 'canonical JSON' } })
})

t.test('evidence chain - only the first break is named', async (t) => {
  const rows = ledger(5)
  rows[1] = { ...(rows[1] as EvidenceRow), sha256: 'f'.repeat(64) }
  rows[3] = { ...(rows[3] as EvidenceRow), body: '{}' }
  t.match(verifyChain(rows), { ok: false, count: 1, broken: { seq: 2, reason: 'digest' } })
})
