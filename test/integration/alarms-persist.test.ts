// The alarm audit trail against a real QuestDB: the DDL of migrations/002, the rows of toRow, and every
// query of src/5-alarm/persist.ts, then a service restart that rebuilds state from them.
import t from 'tap'
import { fileURLToPath } from 'node:url'
import { Registry } from 'prom-client'
import { asyncScheduler } from 'rxjs'
import { createQuestDbWriter } from '../../src/3-store/writer.js'
import { createReader } from '../../src/3-store/reader.js'
import { migrate } from '../../src/3-store/migrate.js'
import {
  fromRow, listAlarms, loadHistory, loadLatest, loadOpenAlarms, loadUnpublished, publishedRow, PUBLISHED_TABLE,
  toRow, TRANSITIONS_TABLE, ALARM_TABLES
} from '../../src/5-alarm/persist.js'
import { walApplied } from '../../src/3-store/wal.js'
import { createAlarmService } from '../../src/5-alarm/service.js'
import { createAlarmMetrics } from '../../src/5-alarm/metrics.js'
import type { AlarmTransitionRecord } from '../../src/5-alarm/types.js'
import { ManualClock } from '../../src/lib/clock.js'
import { startQuestDbOnly } from '../helpers/services.js'
import { change, T0 } from '../unit/5-alarm/fixtures.js'
import type { Log } from '../../src/lib/log.js'

const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }
const MIGRATIONS = fileURLToPath(new URL('../../migrations/', import.meta.url))

t.test('alarms - the audit trail round-trips through QuestDB and rebuilds state at restart', async (t) => {
  const { qdb } = await startQuestDbOnly(t)
  const reader = createReader(qdb.pgUrl)
  t.teardown(() => reader.close())
  const writer = await createQuestDbWriter({
    httpUrl: qdb.httpUrl, flushIntervalMs: 5, flushRows: 1000, maxPendingRows: 100_000, retryTimeoutMs: 1000, requestTimeoutMs: 5000
  })
  t.teardown(() => writer.close())
  t.ok((await migrate(reader, MIGRATIONS)).includes(2), 'migration 002 applies')

  const clock = new ManualClock(T0 + 60_000)
  const published: AlarmTransitionRecord[] = []
  let n = 0
  const build = () => createAlarmService({
    writer,
    reader,
    clock,
    scheduler: asyncScheduler,
    log: silent,
    metrics: createAlarmMetrics(new Registry()),
    publisher: { enqueue: (r) => { published.push(r) } },
    newId: () => `AQ${++n}`
  })
  const first = build()
  await first.start()
  const evidence = [{ point: 'CO-101', ts: T0, value: 31.5, status: 0 }]
  const step = async (fn: () => Promise<unknown>) => { clock.advance(1000); await fn() }
  await step(() => first.onCondition(change('yellow', { key: 'k-open', siteCode: 'S.1', evidence })))
  await step(() => first.onCondition(change('red', { key: 'k-open', siteCode: 'S.1', eventTs: T0 + 1, predictedAt: T0 + 3_600_000 })))
  await step(() => first.onCondition(change('orange', { key: 'k-ca', siteCode: 'S2', value: null, limit: null, late: true })))
  await step(() => first.act('AQ2', { type: 'close', by: '值班员A', disposition: 'planned', note: '检修' }))
  await step(() => first.onCondition(change('blue', { key: 'k-gone', siteCode: 'S2' })))
  await step(() => first.act('AQ3', { type: 'dispatch', by: '值班员A', assignee: '巡检员B', deadline: T0 + 7_200_000 }))
  await step(() => first.onCondition(change(null, { key: 'k-gone', siteCode: 'S2', eventTs: T0 + 7 })))
  await step(() => first.act('AQ3', { type: 'close', by: '值班员A', disposition: 'confirmed' }))
  t.ok(await walApplied(reader, ALARM_TABLES), 'WAL applied')

  // every field survives the trip
  const stored = await loadHistory(reader, 'AQ1')
  const live = published.filter((r) => r.alarmId === 'AQ1')
  t.same(stored, live, 'history = what was published')
  t.equal(stored[1]?.predictedAt, T0 + 3_600_000, 'a predicted time (SL-2) is kept with its transition')
  t.same((await loadHistory(reader, 'AQ2')).map((r) => [r.seq, r.transition, r.disposition, r.note, r.alarm.value, r.alarm.late]),
    [[1, 'raised', undefined, undefined, null, true], [2, 'closed', 'planned', '检修', null, true]])
  t.same(fromRow({}).alarm.points, [], 'a row without points reads as none')
  t.same((await loadHistory(reader, 'AQ3')).map((r) => [r.transition, r.alarm.deadline, r.alarm.verificationOverdue]),
    [['raised', null, false], ['dispatched', T0 + 7_200_000, false], ['cleared', T0 + 7_200_000, false], ['closed', T0 + 7_200_000, false]],
    'the dispatch deadline (migration 011) is kept with the dispatch and every later row')
  t.same(await loadHistory(reader, 'AQ3'), published.filter((r) => r.alarmId === 'AQ3'), 'the dispatched alarm\'s history = what was published')

  t.same((await loadOpenAlarms(reader)).map((a) => `${a.alarmId}:${a.state}:${String(a.active)}`), ['AQ1:open:true', 'AQ2:closed:true'])
  t.equal((await loadLatest(reader, 'AQ3'))?.state, 'closed')
  t.equal(await loadLatest(reader, 'NOPE'), undefined)

  const ids = async (f: Parameters<typeof listAlarms>[1]) => (await listAlarms(reader, f)).map((a) => a.alarmId)
  t.same(await ids({ state: 'all' }), ['AQ3', 'AQ2', 'AQ1'], 'newest change first')
  t.same(await ids({ state: 'all', site: 'S2' }), ['AQ3', 'AQ2'])
  t.same(await ids({ state: 'all', sites: new Set(['S.1', 'S9']) }), ['AQ1'])
  t.same(await ids({ state: 'all', sites: new Set() }), [])
  t.same(await ids({ state: 'all', level: 'red' }), ['AQ1'], 'level is the current one, not any past one')
  t.same(await ids({ state: 'all', level: 'yellow' }), [])
  t.same(await ids({ state: 'all', category: 'over_limit', since: T0 + 60_000 + 7000 }), ['AQ3'])
  t.same(await ids({ state: 'all', limit: 1 }), ['AQ3'])

  // JetStream acknowledged all but the last two transitions
  await writer.writeRows(PUBLISHED_TABLE, published.slice(0, -2).map(publishedRow))
  await writer.writeRows(PUBLISHED_TABLE, [publishedRow(published[0] as AlarmTransitionRecord)]) // a second ack: upserted
  t.ok(await walApplied(reader, ALARM_TABLES))
  const unpublished = await loadUnpublished(reader, T0)
  t.same(unpublished.map((r) => `${r.alarmId}:${r.seq}`), published.slice(-2).map((r) => `${r.alarmId}:${r.seq}`))
  t.same(await loadUnpublished(reader, clock.now() + 1), [], 'bounded by sinceMs')

  // a retried write of the same transition is upserted, not doubled
  await writer.writeRows(TRANSITIONS_TABLE, [toRow(published[0] as AlarmTransitionRecord)])
  t.ok(await walApplied(reader, ALARM_TABLES))
  t.equal((await loadHistory(reader, 'AQ1')).length, 2)

  // restart: a new service rebuilds seeds and open alarms, and republishes the two
  published.length = 0
  const second = build()
  await second.start()
  t.same(second.seeds().sort((a, b) => a.key.localeCompare(b.key)), [
    { key: 'k-ca', level: 'orange', eventTs: T0 },
    { key: 'k-open', level: 'red', eventTs: T0 + 1 }
  ])
  t.same(published.map((r) => `${r.alarmId}:${r.seq}`), ['AQ3:3', 'AQ3:4'])
  const detail = await second.get('AQ1')
  t.same(detail.history.map((r) => r.transition), ['raised', 'escalated'])
  t.same(detail.evidence, evidence)
  t.match((await second.get('AQ3')).alarm, { state: 'closed', deadline: T0 + 7_200_000 }, 'the deadline after a restart')
  await t.rejects(second.act('AQ3', { type: 'ack', by: 'x' }), { statusCode: 409, code: 'MW_ERR_CONFLICT' })
  await second.onCondition(change('blue', { key: 'k-open', siteCode: 'S.1', eventTs: T0 + 9 }))
  t.match(published.at(-1), { alarmId: 'AQ1', seq: 3, transition: 'deescalated' })
})
