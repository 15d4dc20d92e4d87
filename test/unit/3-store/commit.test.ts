// The group commit's refusal handling, against a stand-in QuestDB that refuses lines the way ILP over HTTP does
// (400 naming the first bad line; nothing of that request stored): a refused row fails alone, the rows of other
// calls are stored, an atomic call is refused whole, and the rounds are bounded.
import t from 'tap'
import { createBuffer, SenderOptions } from '@questdb/nodejs-client'
import { encodePart, type Part } from '../../../src/3-store/part.js'
import { commitParts, MAX_CUTS } from '../../../src/3-store/commit.js'
import type { Outcome } from '../../../src/3-store/refusal.js'
import { appendRow } from '../../../src/3-store/ilp-rows.js'
import type { Row } from '../../../src/3-store/types.js'

const scratch = createBuffer(await SenderOptions.fromConfig('http::addr=127.0.0.1:9;protocol_version=2'))

function row (n: number, bad = false): Row {
  return { symbols: { site: 'S' }, columns: { n, note: bad ? 'BAD' : 'ok' }, ints: ['n'], ts: 1_700_000_000_000 + n }
}

async function part (rows: Row[], mode: 'each' | 'all' = 'each'): Promise<Part> {
  return await encodePart(scratch, 't', mode, rows, (buf, r) => appendRow(buf, 't', r))
}

/** FakeQuestDb stores a request only when no line of it is bad, like ILP over HTTP, and counts round trips. */
class FakeQuestDb {
  readonly stored: string[] = []
  sends = 0
  constructor (private readonly refuse: (line: string) => boolean = (l) => l.includes('BAD'), private readonly withLine = true) {}

  send = async (data: Buffer): Promise<Outcome> => {
    this.sends++
    const lines = data.toString('utf8').split('\n').filter((l) => l !== '')
    const bad = lines.findIndex(this.refuse)
    if (bad === -1) {
      this.stored.push(...lines)
      return { kind: 'stored' }
    }
    return { kind: 'refused', line: this.withLine ? bad + 1 : null, column: 'note', message: 'cannot take it' }
  }
}

const ns = (lines: string[]): number[] => lines.map((l) => Number(/n=(\d+)i/.exec(l)?.[1])).sort((a, b) => a - b)

t.test('commit - a refused row fails alone; the rows of every other call are stored', async (t) => {
  const qdb = new FakeQuestDb()
  const a = await part([row(1), row(2, true), row(3)])
  const b = await part([row(4), row(5)])
  const c = await part([row(6)], 'all')
  await commitParts([a, b, c], qdb.send)
  t.same(await a.done.promise, [{ row: 1, column: 'note', message: 'cannot take it' }], 'the call learns which of its rows was refused, and why')
  t.same(await b.done.promise, [])
  t.same(await c.done.promise, [])
  t.same(ns(qdb.stored), [1, 3, 4, 5, 6], 'everything but the refused row is stored')
  t.equal(qdb.sends, 2, 'one round trip to learn of the bad line, one to store the rest')
})

t.test('commit - an atomic call with a refused row is refused whole, with its refusals', async (t) => {
  const qdb = new FakeQuestDb()
  const atomic = await part([row(1), row(2, true)], 'all')
  const other = await part([row(3)])
  await commitParts([atomic, other], qdb.send)
  await t.rejects(atomic.done.promise, { code: 'MW_ERR_STORAGE_REFUSED', statusCode: 422, refusals: [{ row: 1, column: 'note' }] })
  t.same(await other.done.promise, [])
  t.same(ns(qdb.stored), [3], 'nothing of the atomic call is stored')
})

t.test('commit - past MAX_CUTS refused rows the call is given up whole, so one request cannot cost unbounded round trips', async (t) => {
  const qdb = new FakeQuestDb()
  const many = await part(Array.from({ length: 50 }, (_, i) => row(i, true)))
  const good = await part([row(100)])
  await commitParts([many, good], qdb.send)
  const err = await many.done.promise.then(() => null, (e: Error & { refusals: unknown[] }) => e)
  t.equal(err?.name, 'FastifyError')
  t.match(err, { code: 'MW_ERR_STORAGE_REFUSED', statusCode: 422 })
  t.equal(err?.refusals.length, MAX_CUTS + 1, 'the refusals found before giving up are named')
  t.same(await good.done.promise, [])
  t.same(ns(qdb.stored), [100])
  t.equal(qdb.sends, MAX_CUTS + 2, 'bounded: MAX_CUTS cuts, the give-up, then the commit of the rest')
})

t.test('commit - a refusal that names no line splits the commit into its calls; only the guilty call fails', async (t) => {
  const qdb = new FakeQuestDb(undefined, false)
  const a = await part([row(1)])
  const bad = await part([row(2), row(3, true)])
  const c = await part([row(4)])
  await commitParts([a, bad, c], qdb.send)
  t.same(await a.done.promise, [])
  t.same(await c.done.promise, [])
  await t.rejects(bad.done.promise, { code: 'MW_ERR_STORAGE_REFUSED' })
  t.same(ns(qdb.stored), [1, 4])
})

t.test('commit - storage unavailable fails every call with 503 (a resend may pass), none with a refusal', async (t) => {
  const a = await part([row(1)])
  const b = await part([row(2)], 'all')
  await commitParts([a, b], async () => ({ kind: 'unavailable', error: new Error('connection refused') }))
  await t.rejects(a.done.promise, { code: 'MW_ERR_STORAGE_UNAVAILABLE', statusCode: 503 })
  await t.rejects(b.done.promise, { code: 'MW_ERR_STORAGE_UNAVAILABLE', statusCode: 503 })
})

t.test('commit - a call whose rows were all refused while encoding settles without a round trip', async (t) => {
  const qdb = new FakeQuestDb()
  const p = await part([{ columns: { n: 3e9 }, ints: ['n'], ts: 1 }])
  t.same(p.refused, [{ row: 0, column: 'n', message: 'n must be an integer within ±2147483647 (INT column)' }])
  await commitParts([p], qdb.send)
  t.same(await p.done.promise, p.refused)
  t.equal(qdb.sends, 0)
})
