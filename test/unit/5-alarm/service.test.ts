import t from 'tap'
import { Registry } from 'prom-client'
import { asyncScheduler } from 'rxjs'
import { createAlarmService, type AlarmServiceOptions } from '../../../src/5-alarm/service.js'
import { createAlarmMetrics } from '../../../src/5-alarm/metrics.js'
import { publishedRow, PUBLISHED_TABLE, TRANSITIONS_TABLE } from '../../../src/5-alarm/persist.js'
import type { AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import { ManualClock } from '../../../src/lib/clock.js'
import { advanceTo, createReplayScheduler } from '../../../src/lib/virtual-time.js'
import { alarmQueries, FakeReader, FakeWriter } from '../../helpers/fake-store.js'
import { mergeRecords } from '../../../src/5-alarm/read.js'
import { alarm, change, KEY, T0 } from './fixtures.js'
import type { Log } from '../../../src/lib/log.js'

const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }

function setup (over: Partial<AlarmServiceOptions> & { writer?: FakeWriter } = {}) {
  const writer = over.writer ?? new FakeWriter()
  const reader = new FakeReader().on(alarmQueries(writer))
  const clock = new ManualClock(T0 + 60_000)
  const published: AlarmTransitionRecord[] = []
  // The outbox fake checks the order the service promises: stored first, then enqueued.
  const publisher = {
    enqueue (r: AlarmTransitionRecord) {
      const stored = writer.rows(TRANSITIONS_TABLE).some((row) => row.alarm_id === r.alarmId && row.seq === r.seq)
      if (!stored) throw new Error(`enqueued before stored: ${r.alarmId}:${r.seq}`)
      published.push(r)
    }
  }
  const registry = new Registry()
  let n = 0
  const service = createAlarmService({
    writer,
    reader,
    publisher,
    clock,
    scheduler: asyncScheduler,
    log: silent,
    metrics: createAlarmMetrics(registry),
    newId: () => `A${++n}`,
    retryMinMs: 1,
    retryMaxMs: 5,
    ...over
  })
  return { service, writer, reader, clock, published, registry }
}

const seqs = (rs: AlarmTransitionRecord[]) => rs.map((r) => `${r.alarmId}:${r.seq}:${r.transition}`)

t.test('alarms - service stores then publishes condition transitions', async (t) => {
  const { service, writer, published } = setup()
  await service.start()
  await service.onCondition(change('yellow'))
  await service.onCondition(change('red', { eventTs: T0 + 1 }))
  await service.onCondition(change(null, { eventTs: T0 + 2 }))
  await service.onCondition(change('orange', { eventTs: T0 + 3 }))
  t.same(seqs(published), ['A1:1:raised', 'A1:2:escalated', 'A1:3:cleared', 'A1:4:raised'], 'a recurrence re-raises the same alarm')
  t.equal(writer.rows(TRANSITIONS_TABLE).length, 4)
  t.same(service.seeds(), [{ key: KEY, level: 'orange', eventTs: T0 + 3 }])
})

t.test('alarms - service applies the changes of one key in order even when storage is slow', async (t) => {
  const { service, writer, published } = setup()
  await service.start()
  writer.delayMs = 5
  const levels = ['yellow', 'red', null, 'blue', 'orange', null] as const
  await Promise.all(levels.map((l, i) => service.onCondition(change(l, { eventTs: T0 + i }))))
  t.equal(writer.maxInFlight, 1, 'one key: one write at a time')
  t.same(published.map((r) => r.transition), ['raised', 'escalated', 'cleared', 'raised', 'escalated', 'cleared'])
  t.same(published.map((r) => r.seq), [1, 2, 3, 4, 5, 6])
})

t.test('alarms - service stores different keys concurrently', async (t) => {
  const { service, writer, published } = setup()
  await service.start()
  writer.delayMs = 10
  await Promise.all(['k1', 'k2', 'k3', 'k4'].map((key) => service.onCondition(change('red', { key }))))
  t.equal(published.length, 4)
  t.equal(writer.maxInFlight, 4, 'four keys did not queue behind each other')
})

t.test('alarms - service retries a condition change until it is stored', async (t) => {
  const { service, writer, published, registry } = setup()
  await service.start()
  writer.failNext(3)
  await service.onCondition(change('red'))
  t.same(seqs(published), ['A1:1:raised'])
  const failures = await registry.getSingleMetric('minewatch_alarm_persist_failures_total')?.get()
  t.equal(failures?.values[0]?.value, 3)
})

t.test('alarms - storage retries wait on the injected scheduler, not the wall clock', async (t) => {
  const scheduler = createReplayScheduler(T0)
  const { service, writer, published } = setup({ scheduler, retryMinMs: 200, retryMaxMs: 5000 })
  await service.start()
  writer.failNext(2)
  const pending = service.onCondition(change('red'))
  const settle = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }
  await settle()
  advanceTo(scheduler, T0 + 199)
  await settle()
  t.equal(writer.calls.length, 1, 'no retry before the first backoff (200 ms) of virtual time')
  advanceTo(scheduler, T0 + 200)
  await writer.started(2)
  await settle()
  advanceTo(scheduler, T0 + 599)
  await settle()
  t.equal(writer.calls.length, 2, 'the second backoff doubles (400 ms)')
  advanceTo(scheduler, T0 + 600)
  await pending
  t.equal(writer.calls.length, 3)
  t.same(seqs(published), ['A1:1:raised'])
})

t.test('alarms - service handles operator actions', async (t) => {
  const { service, published, clock } = setup()
  await service.start()
  await service.onCondition(change('yellow'))
  clock.advance(1000)
  const acked = await service.act('A1', { type: 'ack', by: '值班员A', note: '收到' })
  t.match(acked, { seq: 2, transition: 'acknowledged', by: '值班员A', note: '收到', eventTs: clock.now(), alarm: { state: 'acknowledged' } })
  await t.rejects(service.act('A1', { type: 'ack', by: 'x' }), { statusCode: 409, code: 'MW_ERR_CONFLICT' })
  await t.rejects(service.act('NOPE', { type: 'ack', by: 'x' }), { statusCode: 404, code: 'MW_ERR_NOT_FOUND' })
  await service.act('A1', { type: 'dispatch', by: 'x', assignee: '巡检员B' })
  const closed = await service.act('A1', { type: 'close', by: 'x', disposition: 'confirmed' })
  t.match(closed.alarm, { state: 'closed', active: true }, 'closed while the condition holds')
  t.same(seqs(published), ['A1:1:raised', 'A1:2:acknowledged', 'A1:3:dispatched', 'A1:4:closed'])
  t.same(service.seeds(), [{ key: KEY, level: 'yellow', eventTs: T0 }], 'closed while active still seeds the engine')
  await t.rejects(service.act('A1', { type: 'close', by: 'x', disposition: 'other' }), { statusCode: 409, code: 'MW_ERR_CONFLICT' })
})

t.test('alarms - acting on an alarm closed long ago is a conflict, not a 404', async (t) => {
  const { service } = setup({ book: { recentClosed: 0 } })
  await service.start()
  await service.onCondition(change('yellow'))
  await service.act('A1', { type: 'close', by: 'x', disposition: 'false_alarm' })
  await t.rejects(service.act('A1', { type: 'ack', by: 'x' }), { statusCode: 409, message: /closed/ })
})

t.test('alarms - a failed store refuses the action and changes nothing', async (t) => {
  const { service, writer, published } = setup()
  await service.start()
  await service.onCondition(change('yellow'))
  writer.failNext(1)
  await t.rejects(service.act('A1', { type: 'ack', by: 'x' }), { statusCode: 503, code: 'MW_ERR_STORAGE_UNAVAILABLE' })
  t.equal(published.length, 1)
  t.equal((await service.find('A1'))?.state, 'open')
  t.match(await service.act('A1', { type: 'ack', by: 'x' }), { seq: 2 })
})

t.test('alarms - a condition that ends after a close-while-active is forgotten; its return raises anew', async (t) => {
  const { service, published } = setup()
  await service.start()
  await service.onCondition(change('yellow'))
  await service.act('A1', { type: 'close', by: 'x', disposition: 'planned' })
  await service.onCondition(change(null))
  t.same(service.seeds(), [])
  await service.onCondition(change('yellow', { eventTs: T0 + 5 }))
  t.same(seqs(published).slice(-1), ['A2:1:raised'])
})

t.test('alarms - start rebuilds open alarms and republishes what JetStream never acknowledged', async (t) => {
  const first = setup()
  await first.service.start()
  await first.service.onCondition(change('yellow', { key: 'open' }))
  await first.service.onCondition(change('red', { key: 'closed-active' }))
  await first.service.act('A2', { type: 'close', by: 'x', disposition: 'planned' })
  await first.service.onCondition(change('red', { key: 'gone' }))
  await first.service.onCondition(change(null, { key: 'gone' }))
  await first.service.act('A3', { type: 'close', by: 'x', disposition: 'confirmed' })
  first.clock.advance(100) // republish order is (detectedAt, seq): give the last change its own time
  await first.service.onCondition(change(null, { key: 'open', eventTs: T0 + 9 }))
  // JetStream acknowledged everything but the last two transitions
  const acked = first.published.slice(0, -2)
  await first.writer.writeRows(PUBLISHED_TABLE, acked.map(publishedRow))

  const second = setup({ writer: first.writer })
  await second.service.start()
  t.same(second.service.seeds().sort((a, b) => a.key.localeCompare(b.key)), [
    { key: 'closed-active', level: 'red', eventTs: T0 },
    { key: 'open', level: null, eventTs: T0 + 9 }
  ])
  t.same(seqs(second.published), seqs(first.published.slice(-2)), 'republished in order')
  t.same((await second.service.list()).map((a) => a.alarmId), ['A1'])
  // the engine's next change continues the rebuilt alarm
  await second.service.onCondition(change('blue', { key: 'open', eventTs: T0 + 10 }))
  t.same(seqs(second.published).slice(-1), ['A1:3:raised'])
})

t.test('alarms - list and get read memory and QuestDB together', async (t) => {
  const { service, clock } = setup()
  await service.start()
  const evidence = [{ point: 'CO-101', ts: T0, value: 31, status: 0 }]
  await service.onCondition(change('yellow', { key: 'k1', siteCode: 'S1', evidence }))
  clock.advance(10)
  await service.onCondition(change('red', { key: 'k2', siteCode: 'S2' }))
  clock.advance(10)
  await service.act('A2', { type: 'close', by: 'x', disposition: 'confirmed' })
  t.same((await service.list()).map((a) => a.alarmId), ['A1'])
  t.same((await service.list({ state: 'all' })).map((a) => a.alarmId), ['A2', 'A1'])
  t.same((await service.list({ state: 'all', sites: new Set(['S1']) })).map((a) => a.alarmId), ['A1'])
  t.same((await service.list({ state: 'all', level: 'red' })).map((a) => a.alarmId), ['A2'])
  const detail = await service.get('A1')
  t.match(detail, { alarm: { alarmId: 'A1', state: 'open' }, evidence })
  t.same(detail.history.map((r) => r.seq), [1])
  const closed = await service.get('A2')
  t.same(closed.history.map((r) => r.transition), ['raised', 'closed'])
  await t.rejects(service.get('NOPE'), { statusCode: 404, code: 'MW_ERR_NOT_FOUND' })
})

t.test('alarms - the open-alarms gauge counts the book at scrape time', async (t) => {
  const { service, registry } = setup()
  await service.start()
  await service.onCondition(change('red', { key: 'k1' }))
  await service.onCondition(change('red', { key: 'k2' }))
  const text = await registry.metrics()
  t.match(text, /minewatch_alarms_open\{category="over_limit",level="red"\} 2/)
  t.match(text, /minewatch_alarm_transitions_total\{category="over_limit",level="red",transition="raised"\} 2/)
  t.notMatch(text, /A1|SC-IRON/, 'no ids or site codes in labels')
})

t.test('alarms - close stops retrying storage and settles', async (t) => {
  // Storage fails three times, then works: left alone, the service stores and publishes on the fourth attempt
  // (the control below), so "nothing stored, nothing published" after close can only be close's doing.
  const attempt = async (closeEarly: boolean): Promise<{ calls: number, published: number, stored: number }> => {
    const { service, writer, published } = setup({ retryMinMs: 1, retryMaxMs: 1 })
    await service.start()
    writer.failNext(3)
    const release = writer.hold()
    const pending = service.onCondition(change('red'))
    await writer.started(1) // the first attempt is under way (held), no pause needed
    const closed = closeEarly ? service.close() : undefined
    release()
    await pending
    await closed
    return { calls: writer.calls.length, published: published.length, stored: writer.rows(TRANSITIONS_TABLE).length }
  }
  t.same(await attempt(false), { calls: 4, published: 1, stored: 1 }, 'control: without close, the fourth attempt stores and publishes')
  t.same(await attempt(true), { calls: 1, published: 0, stored: 0 }, 'closed during the first attempt: no retry, nothing stored or published, and the change settles')
})

t.test('alarms - history keeps one record per seq, the last written', async (t) => {
  const r = (seq: number, detectedAt: number, by?: string): AlarmTransitionRecord =>
    ({ alarmId: 'A1', seq, transition: 'acknowledged', alarm: alarm({ seq }), detectedAt, eventTs: detectedAt, late: false, ...(by === undefined ? {} : { by }) })
  const merged = mergeRecords([r(1, 1), r(2, 5, 'timed-out write'), r(2, 9, 'retry')], [r(3, 12)])
  t.same(merged.map((x) => [x.seq, x.by]), [[1, undefined], [2, 'retry'], [3, undefined]])
})
