// notify deliveries - the notify outbox and its consumer on a real nats-server: a job enqueued twice with the
// same id (a restart planning it again) is delivered once; a job that keeps failing is retried with JetStream's
// delayed redelivery, every attempt recorded, and given up after the maximum, leaving the work queue empty.
import t from 'tap'
import { connect } from 'nats'
import { Registry } from 'prom-client'
import { systemClock } from '../../src/lib/clock.js'
import { silentLog } from '../../src/lib/log.js'
import { startDeliveries } from '../../src/notify/deliveries.js'
import { createNotifyMetrics } from '../../src/notify/metrics.js'
import { createNotifyOutbox } from '../../src/notify/outbox.js'
import type { Delivery, NotifyJob } from '../../src/notify/types.js'
import type { AlarmMessage } from '../../src/contract/index.js'
import { startNatsOnly } from '../helpers/services.js'
import { until } from '../helpers/wait.js'

const STREAM = 'NOTIFY_T'

function job (id: string, url: string): NotifyJob {
  const alarm = { alarmId: 'A1', siteCode: 'S.1', level: 'red' } as unknown as AlarmMessage
  return { id, reason: 'raised', step: 0, contact: '张三', channel: { kind: 'webhook', url }, alarm, plannedAt: 0 }
}

t.test('notify deliveries - once per job id, retried until the maximum, every attempt recorded', async (t) => {
  const { nats } = await startNatsOnly(t)
  const nc = await connect({ servers: nats.url })
  t.teardown(async () => await nc.close())
  const metrics = createNotifyMetrics(new Registry())
  const outbox = await createNotifyOutbox({ nc, stream: STREAM, duplicateWindowS: 60, maxAgeS: 3600, log: silentLog, metrics })
  t.teardown(() => outbox.close())
  const sent: string[] = []
  const records: Delivery[] = []
  const deliveries = await startDeliveries({
    nc,
    stream: STREAM,
    maxAttempts: 3,
    retryMinMs: 100,
    retryMaxMs: 200,
    attemptTimeoutMs: 1000,
    // the "down" receiver never answers well; the others do
    send: async (j) => { sent.push(j.id); return j.channel.kind === 'webhook' && j.channel.url.endsWith('/down') ? { status: 503, error: 'HTTP 503' } : { status: 200 } },
    record: async (d) => { records.push(d) },
    metrics,
    clock: systemClock,
    log: silentLog
  })
  t.teardown(async () => await deliveries.close())

  outbox.enqueue(job('notify:A1:s1:aaa', 'http://r/ok'))
  outbox.enqueue(job('notify:A1:s1:aaa', 'http://r/ok'))
  outbox.enqueue(job('notify:A1:s1:bbb', 'http://r/down'))
  t.ok(await outbox.drain(10_000), 'the jobs reached the stream')

  const gaveUp = await until(async () => records.find((r) => r.outcome === 'gave_up'), 'the failing job given up')
  t.match(gaveUp, { jobId: 'notify:A1:s1:bbb', attempt: 3, status: 503, error: 'HTTP 503', alarmId: 'A1', site: 'S.1', channel: 'webhook' })
  t.same(records.filter((r) => r.jobId.endsWith('bbb')).map((r) => [r.attempt, r.outcome]), [[1, 'failed'], [2, 'failed'], [3, 'gave_up']], 'each attempt recorded')
  t.same(records.filter((r) => r.jobId.endsWith('aaa')).map((r) => [r.attempt, r.outcome]), [[1, 'delivered']], 'the job enqueued twice is delivered once')
  t.equal(sent.filter((id) => id.endsWith('aaa')).length, 1)
  const jsm = await nc.jetstreamManager()
  const info = await until(async () => { const i = await jsm.streams.info(STREAM); return i.state.messages === 0 ? i : undefined }, 'an empty work queue')
  t.equal(info.config.retention, 'workqueue', 'a work-queue stream')
  t.equal((await metrics.deliveries.get()).values.find((v) => v.labels.outcome === 'gave_up')?.value, 1, 'the metric counts by outcome')
})
