import t from 'tap'
import type { Reader } from '../../../src/3-store/types.js'
import { walApplied } from '../../../src/3-store/wal.js'
import { advanceTo, createReplayScheduler, type ReplayScheduler } from '../../../src/lib/virtual-time.js'

interface WalRow { name: string, writerTxn: number | string, sequencerTxn: number | string }

/** fakeReader answers each wal_tables() query with the next of `answers` (the last one repeats). */
function fakeReader (answers: WalRow[][]): Reader & { sql: string[] } {
  const sql: string[] = []
  return {
    sql,
    async query<T>(text: string): Promise<T[]> {
      sql.push(text)
      return (answers[Math.min(sql.length, answers.length) - 1] ?? []) as T[]
    }
  }
}

const settle = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

/** drive moves virtual time on by `stepMs` until `p` settles, and returns its outcome. */
async function drive<T> (scheduler: ReplayScheduler, p: Promise<T>, stepMs: number): Promise<T> {
  let settled = false
  const watched = p.finally(() => { settled = true })
  for (let i = 0; i < 1_000; i++) {
    await settle()
    if (settled) break
    advanceTo(scheduler, scheduler.now() + stepMs)
  }
  return await watched
}

const lagging = (name: string): WalRow => ({ name, writerTxn: 3, sequencerTxn: 5 })
const caughtUp = (name: string): WalRow => ({ name, writerTxn: '5', sequencerTxn: '5' })

t.test('walApplied - true at once when every table has caught up; one query naming the tables', async (t) => {
  const reader = fakeReader([[caughtUp('a'), caughtUp('b')]])
  t.equal(await walApplied(reader, ['a', 'b'], { scheduler: createReplayScheduler(0) }), true)
  t.same(reader.sql, ["SELECT name, writerTxn, sequencerTxn FROM wal_tables() WHERE name IN ('a', 'b')"])
})

t.test('walApplied - polls every intervalMs of the scheduler until writerTxn catches up', async (t) => {
  const scheduler = createReplayScheduler(0)
  const reader = fakeReader([[lagging('a')], [lagging('a')], [caughtUp('a')]])
  t.equal(await drive(scheduler, walApplied(reader, ['a'], { scheduler, intervalMs: 100 }), 100), true)
  t.equal(reader.sql.length, 3)
  t.equal(scheduler.now(), 200, 'two pauses of virtual time')
})

t.test('walApplied - false once timeoutMs passed without catching up', async (t) => {
  const scheduler = createReplayScheduler(0)
  const reader = fakeReader([[lagging('a')]])
  t.equal(await drive(scheduler, walApplied(reader, ['a'], { scheduler, timeoutMs: 1_000, intervalMs: 100 }), 100), false)
  t.equal(reader.sql.length, 11, 'a poll at 0, 100 … 1000 ms')
})

t.test('walApplied - a table not listed yet counts as applied unless requireListed', async (t) => {
  t.equal(await walApplied(fakeReader([[]]), ['a'], { scheduler: createReplayScheduler(0) }), true, 'nothing written: nothing to apply')
  const scheduler = createReplayScheduler(0)
  const reader = fakeReader([[caughtUp('a')], [caughtUp('a'), caughtUp('b')]])
  t.equal(await drive(scheduler, walApplied(reader, ['a', 'b'], { scheduler, requireListed: true, intervalMs: 20 }), 20), true)
  t.equal(reader.sql.length, 2, 'waited for b to be listed')
  const never = fakeReader([[caughtUp('a')]])
  t.equal(await drive(scheduler, walApplied(never, ['a', 'b'], { scheduler, requireListed: true, timeoutMs: 100, intervalMs: 20 }), 20), false)
})

t.test('walApplied - a failing query rejects at once', async (t) => {
  const reader: Reader = { query: async () => { throw new Error('connection refused') } }
  await t.rejects(walApplied(reader, ['a'], { scheduler: createReplayScheduler(0) }), /connection refused/)
})

t.test('walApplied - an abort ends the wait with its reason', async (t) => {
  const scheduler = createReplayScheduler(0)
  const stop = new AbortController()
  const p = walApplied(fakeReader([[lagging('a')]]), ['a'], { scheduler, signal: stop.signal })
  await settle()
  stop.abort(new Error('closing'))
  await t.rejects(p, /closing/)
  t.equal(scheduler.actions.length, 0, 'no pending poll left in virtual time')
})

t.test('walApplied - defaults to the wall clock', async (t) => {
  t.equal(await walApplied(fakeReader([[lagging('a')], [caughtUp('a')]]), ['a'], { intervalMs: 5 }), true)
})
