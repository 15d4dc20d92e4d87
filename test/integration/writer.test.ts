import t from 'tap'
import { startQuestDbOnly } from '../helpers/services.js'
import { startProxy } from '../helpers/proxy.js'
import { createQuestDbWriter } from '../../src/3-store/writer.js'
import { createReader } from '../../src/3-store/reader.js'
import { migrate } from '../../src/3-store/migrate.js'
import { migrationsDir } from '../../src/3-store/paths.js'
import { freePort } from '../../src/tools/embedded/ports.js'
import type { ReadingRow } from '../../src/contract/rows.js'
import type { Reader } from '../../src/3-store/types.js'
import { until } from '../helpers/wait.js'

const opts = { flushIntervalMs: 5, flushRows: 2000, maxPendingRows: 20_000, retryTimeoutMs: 500, requestTimeoutMs: 2000 }

function rows (site: string, n: number, t0: number): ReadingRow[] {
  return Array.from({ length: n }, (_, i) => ({ site, point: `P${i % 50}`, ts: t0 + i, value: i, status: 0, receivedAt: t0 }))
}

async function count (reader: Reader, site: string): Promise<number> {
  return Number((await reader.query<{ c: string }>('SELECT count() c FROM readings WHERE site = $1', [site]))[0]?.c)
}

// the count once it reached n (QuestDB applies its WAL a moment after the ack), or the last count seen
async function stored (reader: Reader, site: string, n: number): Promise<number> {
  let c = 0
  await until(async () => ((c = await count(reader, site)) === n ? true : undefined), `${n} rows of ${site}`, 30_000).catch(() => {})
  return c
}

t.test('writer - group commit', async (t) => {
  const { qdb } = await startQuestDbOnly(t)
  const reader = createReader(qdb.pgUrl)
  t.teardown(async () => await reader.close())
  await migrate(reader, migrationsDir())
  const writer = await createQuestDbWriter({ httpUrl: qdb.httpUrl, ...opts })
  t.teardown(async () => await writer.close())

  await t.test('concurrent writers are all acknowledged and every row is stored once', async (t) => {
    const t0 = Date.now() - 60_000
    await Promise.all(Array.from({ length: 40 }, async (_, i) => await writer.writeReadings(rows('W1', 250, t0 + i * 250))))
    t.equal(writer.pendingRows(), 0, 'nothing pending once every promise settled')
    await writer.writeReadings(rows('W1', 250, t0))
    t.equal(await stored(reader, 'W1', 10_000), 10_000, '40 × 250 rows, the resent 250 stored once')
  })

  await t.test('past the pending bound a write is refused at once with 503 and nothing is buffered', async (t) => {
    const small = await createQuestDbWriter({ httpUrl: qdb.httpUrl, ...opts, maxPendingRows: 1000 })
    t.teardown(async () => await small.close())
    const first = small.writeReadings(rows('W2', 900, Date.now()))
    await t.rejects(small.writeReadings(rows('W2', 200, Date.now())), { code: 'MW_ERR_OVERLOADED', statusCode: 503 })
    await first
    t.equal(small.pendingRows(), 0)
  })

  // Issue 7: a status the client cannot encode (Infinity) used to throw half way through its row; the shared buffer
  // kept the half row and every later write of every request failed until restart.
  await t.test('a row the client cannot encode fails alone: the rows around it, other calls and later writes are stored', async (t) => {
    const t0 = Date.now() - 30_000
    const poisoned = [...rows('W4', 3, t0), { ...rows('W4', 1, t0 + 3)[0] as ReadingRow, status: Infinity }, ...rows('W4', 3, t0 + 4)]
    const [before, refused, after] = await Promise.all([
      writer.writeReadings(rows('W4', 100, t0 + 1000)),
      writer.writeReadings(poisoned),
      writer.writeReadings(rows('W4', 100, t0 + 2000))
    ])
    t.same(before, [])
    t.same(after, [])
    t.match(refused, [{ row: 3, column: 'status', message: /INT column/ }], 'only the bad row is refused, named with its column')
    t.same(await writer.writeReadings(rows('W4', 10, t0 + 3000)), [], 'a later write is acknowledged')
    t.equal(await stored(reader, 'W4', 216), 216, '100 + 6 + 100 + 10 rows: all but the bad one')
    t.equal(writer.health().up, true)
  })

  await t.test('a row QuestDB itself refuses fails alone; the shared commit is resent without it', async (t) => {
    const t0 = Date.now() - 20_000
    // a string into the DOUBLE column passes the encoder but not QuestDB: it answers 400 naming the line
    const bad = { symbols: { site: 'W5', point: 'P0' }, columns: { value: 'not a number' }, ts: t0 }
    const good = { symbols: { site: 'W5', point: 'P1' }, columns: { value: 1 }, ts: t0 }
    const [each, others, atomic] = await Promise.allSettled([
      writer.writeRows('readings', [good, bad, { ...good, ts: t0 + 1 }], 'each'),
      writer.writeReadings(rows('W5', 50, t0 + 100)),
      writer.writeRows('readings', [{ ...good, ts: t0 + 2 }, { ...bad, ts: t0 + 3 }])
    ])
    t.match(each, { status: 'fulfilled', value: [{ row: 1, column: 'value' }] }, 'an each-call learns which row was refused')
    t.same(others, { status: 'fulfilled', value: [] }, 'another call in the same commit is stored')
    t.match(atomic, { status: 'rejected', reason: { code: 'MW_ERR_STORAGE_REFUSED', statusCode: 422, refusals: [{ row: 1, column: 'value' }] } },
      'an atomic call is refused whole with 422, never 503: a resend could not help')
    t.equal(await stored(reader, 'W5', 52), 52, '2 of the each-call and 50 others; nothing of the atomic call')
    t.equal(writer.health().up, true, 'a refusal is an answer: the writer is up')
  })
})

t.test('writer - QuestDB unreachable rejects with 503 instead of hanging', async (t) => {
  const port = await freePort()
  const writer = await createQuestDbWriter({ httpUrl: `http://127.0.0.1:${port}`, ...opts })
  await t.rejects(writer.writeReadings(rows('W3', 10, Date.now())), { code: 'MW_ERR_STORAGE_UNAVAILABLE', statusCode: 503 })
  t.equal(writer.pendingRows(), 0, 'the failed rows are not kept')
  t.match(writer.health(), { up: false, failures: 1, lastError: String })
  await writer.close().catch(() => {})
})

t.test('writer - while commits fail it is down and replaces its connection; once QuestDB answers again it is up and stores', async (t) => {
  const { qdb } = await startQuestDbOnly(t)
  const reader = createReader(qdb.pgUrl)
  t.teardown(async () => await reader.close())
  await migrate(reader, migrationsDir())
  const proxy = await startProxy(t, Number(new URL(qdb.httpUrl).port))
  const restarts: string[] = []
  const writer = await createQuestDbWriter({ httpUrl: `http://127.0.0.1:${proxy.port}`, ...opts, restartAfterFailures: 2, onRestart: (why) => restarts.push(why) })
  t.teardown(async () => await writer.close().catch(() => {}))
  t.same(await writer.writeReadings(rows('W6', 10, Date.now() - 10_000)), [])

  await proxy.cut()
  for (let i = 0; i < 4; i++) await t.rejects(writer.writeReadings(rows('W6', 10, Date.now())), { code: 'MW_ERR_STORAGE_UNAVAILABLE' })
  t.match(writer.health(), { up: false, failures: 4, restarts: 2 }, 'down, and its connection was replaced after every 2 failed commits')
  t.equal(restarts.length, 2)
  t.equal(await writer.probe(), false, 'a probe through the cut path fails')

  await proxy.restore()
  t.equal(await writer.probe(), true, 'a probe over the new connection passes')
  t.match(writer.health(), { up: true, failures: 0 })
  t.same(await writer.writeReadings(rows('W6', 10, Date.now() - 5000)), [])
  t.equal(await stored(reader, 'W6', 20), 20)
})
