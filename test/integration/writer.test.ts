import t from 'tap'
import { startQuestDbOnly } from '../helpers/services.js'
import { createQuestDbWriter } from '../../src/store/writer.js'
import { createReader } from '../../src/store/reader.js'
import { migrate } from '../../src/store/migrate.js'
import { migrationsDir } from '../../src/store/paths.js'
import { freePort } from '../../src/embedded/ports.js'
import type { ReadingRow } from '../../src/ingest/types.js'

const opts = { flushIntervalMs: 5, flushRows: 2000, maxPendingRows: 20_000, retryTimeoutMs: 500, requestTimeoutMs: 2000 }

function rows (site: string, n: number, t0: number): ReadingRow[] {
  return Array.from({ length: n }, (_, i) => ({ site, point: `P${i % 50}`, ts: t0 + i, value: i, status: 0, receivedAt: t0 }))
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
    let count = 0
    for (let i = 0; i < 100 && count !== 10_000; i++) {
      count = Number((await reader.query<{ c: string }>("SELECT count() c FROM readings WHERE site = 'W1'"))[0]?.c)
      if (count !== 10_000) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    t.equal(count, 10_000, '40 × 250 rows, the resent 250 stored once')
  })

  await t.test('past the pending bound a write is refused at once with 503 and nothing is buffered', async (t) => {
    const small = await createQuestDbWriter({ httpUrl: qdb.httpUrl, ...opts, maxPendingRows: 1000 })
    t.teardown(async () => await small.close())
    const first = small.writeReadings(rows('W2', 900, Date.now()))
    await t.rejects(small.writeReadings(rows('W2', 200, Date.now())), { code: 'MW_ERR_OVERLOADED', statusCode: 503 })
    await first
    t.equal(small.pendingRows(), 0)
  })
})

t.test('writer - QuestDB unreachable rejects with 503 instead of hanging', async (t) => {
  const port = await freePort()
  const writer = await createQuestDbWriter({ httpUrl: `http://127.0.0.1:${port}`, ...opts })
  const started = Date.now()
  await t.rejects(writer.writeReadings(rows('W3', 10, Date.now())), { code: 'MW_ERR_STORAGE_UNAVAILABLE', statusCode: 503 })
  t.ok(Date.now() - started < 5000, 'answered within the retry and request timeouts')
  t.equal(writer.pendingRows(), 0, 'the failed rows are not kept')
  await writer.close().catch(() => {})
})
