// The alarm outbox: the one JetStream outbox (outbox.ts) given alarm transitions. Each is published on its
// contract subject with Nats-Msg-Id `${alarmId}:${seq}`, in the order the alarm service enqueued them, and
// leaves the outbox only once JetStream acknowledged it; while NATS is down they wait, in order. Nothing is
// ever dropped: transitions are persisted facts, and those still pending at close are republished at the next
// start (JetStream drops the ones it had as duplicates). A window of 64 is pipelined; see outbox.ts for why
// that keeps order and never doubles a message. The metrics are this component's own (metrics.ts).
import type { NatsConnection } from 'nats'
import type { AlarmTransitionRecord } from '../5-alarm/types.js'
import type { Clock } from '../lib/clock.js'
import { createJetStreamOutbox } from './jetstream-outbox.js'
import type { Outbox, OutboxTuning } from './outbox.js'
import { encodeAlarmMessage } from './message.js'
import type { PublishMetrics } from './metrics.js'
import { alarmSubject, ALARM_SUBJECTS } from './subjects.js'
import type { Log } from '../lib/log.js'

/** PublisherOptions configure createPublisher. */
export interface PublisherOptions extends OutboxTuning {
  nc: NatsConnection
  /** JetStream stream name (config MINEWATCH_ALARM_STREAM) */
  stream: string
  /** subjects the stream captures; defaults to minewatch.alarm.> */
  subjects?: string
  /** JetStream duplicate window in seconds (config MINEWATCH_DUPLICATE_WINDOW_S) */
  duplicateWindowS: number
  /** messages older than this many seconds leave the stream (config MINEWATCH_ALARM_STREAM_MAX_AGE; unset: kept) */
  maxAgeS?: number
  /** called after each acknowledgement, in order; a returned promise's rejection is logged, not retried */
  onPublished?: (record: AlarmTransitionRecord) => unknown
  log: Log
  metrics: PublishMetrics
  clock: Clock
  /** records in flight at once (default 64) */
  window?: number
}

/** Publisher is the outbox the alarm service hands persisted transitions to; records still pending at close
 * stay unpublished, and the service republishes them at the next start. */
export type Publisher = Outbox<AlarmTransitionRecord>

/** createPublisher makes sure the alarm stream exists, then returns the outbox. */
export async function createPublisher (opts: PublisherOptions): Promise<Publisher> {
  const { metrics, log, clock, onPublished } = opts
  const onPublishedFailed = (record: AlarmTransitionRecord, err: unknown): void => {
    // Harmless beyond a republish at the next start, which JetStream drops as a duplicate.
    log.warn({ alarmId: record.alarmId, seq: record.seq, err }, 'could not record a published alarm transition')
  }
  return await createJetStreamOutbox<AlarmTransitionRecord>({
    name: 'alarm',
    nc: opts.nc,
    stream: { stream: opts.stream, subjects: opts.subjects ?? ALARM_SUBJECTS, duplicateWindowS: opts.duplicateWindowS, ...(opts.maxAgeS === undefined ? {} : { maxAgeS: opts.maxAgeS }) },
    message: (record) => {
      const a = record.alarm
      return { subject: alarmSubject(a.siteCode, a.category, a.level), data: encodeAlarmMessage(record), msgID: msgIdOf(record) }
    },
    hooks: {
      acknowledged: (record, ack) => {
        const a = record.alarm
        metrics.published.inc({ category: a.category, level: a.level, transition: record.transition })
        if (ack.duplicate) metrics.duplicates.inc()
        if (record.receivedAt !== undefined) metrics.ingestToPublish.observe(Math.max(0, clock.now() - record.receivedAt) / 1000)
        if (onPublished === undefined) return
        try {
          Promise.resolve(onPublished(record)).catch((err: unknown) => onPublishedFailed(record, err))
        } catch (err) {
          onPublishedFailed(record, err)
        }
      },
      failed: (reason) => metrics.failures.inc({ reason }),
      pending: (n) => metrics.pending.set(n)
    },
    log,
    window: opts.window ?? 64,
    ackTimeoutMs: opts.ackTimeoutMs,
    retryMinMs: opts.retryMinMs,
    retryMaxMs: opts.retryMaxMs,
    scheduler: opts.scheduler
  })
}

/** msgIdOf is the Nats-Msg-Id of a transition: stable across republishes. */
export function msgIdOf (record: Pick<AlarmTransitionRecord, 'alarmId' | 'seq'>): string {
  return `${record.alarmId}:${record.seq}`
}
