// The notify outbox: the one JetStream outbox (6-publish/outbox.ts) given notification jobs. Jobs go to the
// work-queue stream MINEWATCH_NOTIFY (config MINEWATCH_NOTIFY_STREAM) on minewatch.notify.<site>, with the job
// id as Nats-Msg-Id, so a job planned twice within the duplicate window is stored once; a job leaves the stream
// when its delivery is acknowledged (deliveries.ts), and one never delivered ages out after max age.
import type { NatsConnection } from 'nats'
import { createJetStreamOutbox } from '../6-publish/jetstream-outbox.js'
import type { Outbox, OutboxTuning } from '../6-publish/outbox.js'
import { notifySubject, NOTIFY_SUBJECTS } from '../6-publish/subjects.js'
import type { Log } from '../lib/log.js'
import type { NotifyMetrics } from './metrics.js'
import type { NotifyJob } from './types.js'

/** NotifyOutboxOptions configure createNotifyOutbox. */
export interface NotifyOutboxOptions extends OutboxTuning {
  nc: NatsConnection
  stream: string
  duplicateWindowS: number
  /** how long an undelivered job is kept (seconds) */
  maxAgeS: number
  log: Log
  metrics: NotifyMetrics
}

/** createNotifyOutbox makes sure the notify stream exists, then returns the outbox. */
export async function createNotifyOutbox (o: NotifyOutboxOptions): Promise<Outbox<NotifyJob>> {
  const { metrics } = o
  return await createJetStreamOutbox<NotifyJob>({
    name: 'notify',
    nc: o.nc,
    stream: { stream: o.stream, subjects: NOTIFY_SUBJECTS, duplicateWindowS: o.duplicateWindowS, workQueue: true, maxAgeS: o.maxAgeS },
    message: (job) => ({ subject: notifySubject(job.alarm.siteCode), data: Buffer.from(JSON.stringify(job), 'utf8'), msgID: job.id }),
    hooks: {
      acknowledged: (job, ack) => { if (!ack.duplicate) metrics.planned.inc({ reason: job.reason }) },
      failed: () => metrics.publishFailures.inc(),
      pending: (n) => metrics.pending.set(n)
    },
    log: o.log,
    window: 64,
    ackTimeoutMs: o.ackTimeoutMs,
    retryMinMs: o.retryMinMs,
    retryMaxMs: o.retryMaxMs,
    scheduler: o.scheduler
  })
}
