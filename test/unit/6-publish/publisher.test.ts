import t from 'tap'
import { Registry } from 'prom-client'
import { createPublisher, msgIdOf, type PublisherOptions } from '../../../src/6-publish/publisher.js'
import { createPublishMetrics } from '../../../src/6-publish/metrics.js'
import type { AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import { ManualClock } from '../../../src/lib/clock.js'
import { alarm, T0 } from '../5-alarm/fixtures.js'
import { FakeNats } from './fake-nats.js'
import type { Log } from '../../../src/lib/log.js'

const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }

let n = 0
function record (over: Partial<AlarmTransitionRecord> = {}): AlarmTransitionRecord {
  const seq = ++n
  const a = alarm({ alarmId: 'P1', seq })
  return { alarmId: 'P1', seq, transition: 'raised', alarm: a, detectedAt: T0 + seq, eventTs: T0, late: false, ...over }
}

async function setup (t: { teardown: (fn: () => void) => void }, over: Partial<PublisherOptions> = {}) {
  const nats = new FakeNats()
  const registry = new Registry()
  const acked: string[] = []
  const clock = new ManualClock(T0 + 1000)
  const publisher = await createPublisher({
    nc: nats.connection(),
    stream: 'MINEWATCH_ALARMS',
    duplicateWindowS: 120,
    onPublished: (r) => { acked.push(msgIdOf(r)) },
    log: silent,
    metrics: createPublishMetrics(registry),
    clock,
    retryMinMs: 1,
    retryMaxMs: 10,
    ...over
  })
  t.teardown(() => publisher.close())
  return { nats, registry, acked, publisher, clock }
}

t.test('publish - creates the stream, then keeps it up to date', async (t) => {
  const { nats } = await setup(t)
  t.match(nats.streams.get('MINEWATCH_ALARMS'), { subjects: ['minewatch.alarm.>'], storage: 'file', duplicate_window: 120e9 })
  nats.streams.set('MINEWATCH_ALARMS', { name: 'MINEWATCH_ALARMS', subjects: ['old.>'], storage: 'file', duplicate_window: 1 })
  await createPublisher({ nc: nats.connection(), stream: 'MINEWATCH_ALARMS', duplicateWindowS: 60, log: silent, metrics: createPublishMetrics(new Registry()), clock: new ManualClock() })
    .then((p) => p.close())
  t.match(nats.streams.get('MINEWATCH_ALARMS'), { subjects: ['minewatch.alarm.>'], duplicate_window: 60e9 })
})

t.test('publish - publishes in order with Nats-Msg-Id and the contract subject', async (t) => {
  const { nats, publisher, acked } = await setup(t)
  const rs = [record(), record(), record()]
  rs.forEach((r) => publisher.enqueue(r))
  t.ok(await publisher.drain(1000))
  t.same(nats.sent.map((s) => s.msgID), rs.map(msgIdOf))
  t.same(acked, rs.map(msgIdOf), 'onPublished after each ack, in order')
  t.equal(nats.sent[0]?.subject, 'minewatch.alarm.SC-IRON.over_limit.yellow')
  t.match(nats.sent[0]?.body, { alarmId: 'P1', seq: rs[0]?.seq, transition: 'raised' })
  t.equal(publisher.pending(), 0)
})

t.test('publish - retries in order after failures; nothing lost, nothing doubled', async (t) => {
  const { nats, publisher, acked, registry } = await setup(t, { window: 4 })
  const rs = [record(), record(), record(), record(), record()]
  // the 2nd is stored but its ack is lost; the 3rd is lost with the connection (and the rest of its window)
  const fates = new Map([[msgIdOf(rs[1] as AlarmTransitionRecord), ['ack-lost']], [msgIdOf(rs[2] as AlarmTransitionRecord), ['ok', 'lost', 'lost']]])
  nats.fate = (s) => (fates.get(s.msgID)?.pop() ?? 'ok') as 'ok' | 'ack-lost' | 'lost'
  rs.forEach((r) => publisher.enqueue(r))
  t.ok(await publisher.drain(2000))
  t.same(nats.stored, rs.map(msgIdOf), 'stored exactly once each, in order')
  t.same(acked, rs.map(msgIdOf))
  const text = await registry.metrics()
  t.match(text, /minewatch_alarm_publish_failures_total\{reason="timeout"\} 1/)
  t.match(text, /minewatch_alarm_publish_failures_total\{reason="disconnected"\} 1/)
  t.match(text, /minewatch_alarm_publish_duplicates_total 1/, 'the stored one with the lost ack came back as a duplicate')
  t.match(text, /minewatch_alarm_published_total\{category="over_limit",level="yellow",transition="raised"\} 5/)
})

t.test('publish - a republished transition is acknowledged as a duplicate', async (t) => {
  const { nats, publisher, acked, registry } = await setup(t)
  const r = record()
  publisher.enqueue(r)
  publisher.enqueue(r)
  t.ok(await publisher.drain(1000))
  t.same(nats.stored, [msgIdOf(r)])
  t.equal(acked.length, 2)
  t.match(await registry.metrics(), /minewatch_alarm_publish_duplicates_total 1/)
})

t.test('publish - holds the queue while NATS is down and resumes on reconnect', async (t) => {
  const { nats, publisher, acked } = await setup(t, { retryMinMs: 60_000, retryMaxMs: 60_000 })
  let down = true
  nats.fate = () => down ? 'lost' : 'ok'
  const rs = [record(), record(), record()]
  rs.forEach((r) => publisher.enqueue(r))
  t.notOk(await publisher.drain(50), 'drain times out while down')
  t.equal(publisher.pending(), 3)
  t.equal(nats.sent.length, 3, 'one window, then only the head as a probe')
  down = false
  nats.emit('reconnect') // cuts the minute-long backoff short
  t.ok(await publisher.drain(1000))
  t.same(acked, rs.map(msgIdOf))
})

t.test('publish - observes ingest-to-publish latency and the outbox gauge', async (t) => {
  const { publisher, registry, clock } = await setup(t)
  publisher.enqueue(record({ receivedAt: clock.now() - 250 }))
  publisher.enqueue(record())
  t.ok(await publisher.drain(1000))
  const text = await registry.metrics()
  t.match(text, /minewatch_ingest_to_publish_seconds_count 1/)
  t.match(text, /minewatch_ingest_to_publish_seconds_bucket\{le="0.25"\} 1/)
  t.match(text, /minewatch_alarm_outbox_pending 0/)
})

t.test('publish - a failing onPublished is logged, not retried', async (t) => {
  const warnings: string[] = []
  const { publisher, nats } = await setup(t, {
    onPublished: async () => { throw new Error('questdb down') },
    log: { ...silent, warn: (_o, msg) => { warnings.push(msg) } }
  })
  publisher.enqueue(record())
  t.ok(await publisher.drain(1000))
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(nats.sent.length, 1)
  t.equal(warnings.length, 1)
})

t.test('publish - close stops publishing and leaves the rest for the republish at start', async (t) => {
  const { nats, publisher } = await setup(t)
  publisher.close()
  publisher.enqueue(record())
  t.equal(publisher.pending(), 1)
  t.equal(nats.sent.length, 0)
  t.notOk(await publisher.drain(20))
})
