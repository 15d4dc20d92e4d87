// The publisher against a real nats-server with JetStream: msg ids, duplicate drop, and an outage.
import t from 'tap'
import { Registry } from 'prom-client'
import { connect, type JetStreamClient, type JsMsg, type NatsConnection } from 'nats'
import { createPublisher, msgIdOf } from '../../src/6-publish/publisher.js'
import { createPublishMetrics } from '../../src/6-publish/metrics.js'
import type { AlarmTransitionRecord } from '../../src/5-alarm/types.js'
import { systemClock } from '../../src/lib/clock.js'
import { startNatsOnly } from '../helpers/services.js'
import { until } from '../helpers/wait.js'
import { alarm, T0 } from '../unit/5-alarm/fixtures.js'
import type { Log } from '../../src/lib/log.js'

const STREAM = 'MINEWATCH_ALARMS_TEST'
const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }

function record (seq: number, siteCode = 'SC-IRON'): AlarmTransitionRecord {
  const a = alarm({ alarmId: 'AINTEGR1', seq, siteCode })
  return { alarmId: a.alarmId, seq, transition: seq === 1 ? 'raised' : 'escalated', alarm: a, detectedAt: T0 + seq, eventTs: T0, late: false }
}

// Reads the whole stream with an ordered consumer: subject, Nats-Msg-Id and seq of each message.
async function readStream (js: JetStreamClient): Promise<Array<{ subject: string, msgId: string | undefined, seq: number }>> {
  const consumer = await js.consumers.get(STREAM)
  const out: Array<{ subject: string, msgId: string | undefined, seq: number }> = []
  const msgs = await consumer.fetch({ max_messages: 100, expires: 1000 })
  for await (const m of msgs as AsyncIterable<JsMsg>) {
    out.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), seq: (m.json() as { seq: number }).seq })
  }
  return out
}

async function connected (url: string): Promise<NatsConnection> {
  // The service's connection must never give up reconnecting, or an outage would strand the outbox.
  return await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100 })
}

t.test('publish - JetStream stores each transition once, in order, across an outage', async (t) => {
  const { nats, stopNats, restartNats } = await startNatsOnly(t)
  const nc = await connected(nats.url)
  t.teardown(() => nc.close())
  const registry = new Registry()
  const acked: string[] = []
  const publisher = await createPublisher({
    nc,
    stream: STREAM,
    duplicateWindowS: 600,
    onPublished: (r) => { acked.push(msgIdOf(r)) },
    log: silent,
    metrics: createPublishMetrics(registry),
    clock: systemClock,
    ackTimeoutMs: 500,
    retryMinMs: 50,
    retryMaxMs: 500
  })
  t.teardown(() => publisher.close())
  const jsm = await nc.jetstreamManager()
  const js = nc.jetstream()
  const failures = async (): Promise<number> => [...(await registry.metrics()).matchAll(/^minewatch_alarm_publish_failures_total\{[^}]*\} (\d+)/gm)]
    .reduce((n, m) => n + Number(m[1]), 0)

  // drain bounds (60 s) only catch hangs
  publisher.enqueue(record(1))
  t.ok(await publisher.drain(60_000), 'published')
  t.same(await readStream(js), [{ subject: 'minewatch.alarm.SC-IRON.over_limit.yellow', msgId: 'AINTEGR1:1', seq: 1 }])

  publisher.enqueue(record(1))
  t.ok(await publisher.drain(60_000), 'republished')
  t.equal((await jsm.streams.info(STREAM)).state.messages, 1, 'the republish was dropped as a duplicate')
  t.match(await registry.metrics(), /minewatch_alarm_publish_duplicates_total 1/)

  await stopNats()
  const during = [record(2, 'mine.north'), record(3), record(4)]
  during.forEach((r) => publisher.enqueue(r))
  // not a pause: wait until the outbox has tried and failed twice (its failure counter), then count what it kept
  await until(async () => await failures() >= 2 ? true : undefined, 'two failed attempts while NATS is down', 60_000, 20)
  t.same(acked.filter((id) => during.map(msgIdOf).includes(id)), [], 'nothing is acknowledged while NATS is down')
  t.equal(publisher.pending(), 3, 'the outbox keeps them')
  await restartNats()
  t.ok(await publisher.drain(60_000), 'the outbox empties once NATS is back')

  const stream = await readStream(nc.jetstream())
  t.same(stream.map((m) => m.msgId), ['AINTEGR1:1', 'AINTEGR1:2', 'AINTEGR1:3', 'AINTEGR1:4'], 'all arrived, in order, exactly once')
  t.equal(stream[1]?.subject, 'minewatch.alarm.mine%2Enorth.over_limit.yellow', 'a dotted site code stays one token')
  t.same(acked.slice(-3), during.map(msgIdOf), 'onPublished in order')
})
