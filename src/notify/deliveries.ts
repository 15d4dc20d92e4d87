// Delivery of the jobs in the notify stream: a durable pull consumer takes them, each is sent over its channel
// and every attempt is recorded (table notifications). A delivered job is acknowledged (and so leaves the work
// queue); a failed one is negatively acknowledged with a delay growing exponentially (retryMinMs · 2^(n-1),
// at most retryMaxMs), so JetStream redelivers it then, and after maxAttempts it is terminated and recorded as
// gave_up. The retry delays are JetStream's, in real time: a server restart does not lose a pending retry.
import { AckPolicy, nanos, type ConsumerMessages, type JsMsg, type NatsConnection, type NatsError } from 'nats'
import type { Log } from '../lib/log.js'
import type { Clock } from '../lib/clock.js'
import type { SendResult } from './channels/index.js'
import type { NotifyMetrics } from './metrics.js'
import type { Delivery, NotifyJob } from './types.js'

/** DURABLE is the consumer's name. */
export const DURABLE = 'minewatch-notify'

/** DeliveryOptions wire the consumer to the stream, the channels and the record. */
export interface DeliveryOptions {
  nc: NatsConnection
  stream: string
  maxAttempts: number
  retryMinMs: number
  retryMaxMs: number
  /** how long one attempt may take before JetStream redelivers the job anyway */
  attemptTimeoutMs: number
  send: (job: NotifyJob) => Promise<SendResult>
  /** stores an attempt; it never rejects (the audit-like record logs what it cannot store) */
  record: (d: Delivery) => Promise<void>
  metrics: NotifyMetrics
  clock: Clock
  log: Log
}

/** Deliveries is the running consumer. */
export interface Deliveries { close: () => Promise<void> }

/** retryDelay is the wait before attempt n + 1 after attempt n failed. */
export function retryDelay (attempt: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1))
}

/** startDeliveries creates (or updates) the durable consumer and starts taking jobs. */
export async function startDeliveries (o: DeliveryOptions): Promise<Deliveries> {
  const jsm = await o.nc.jetstreamManager()
  const config = { durable_name: DURABLE, ack_policy: AckPolicy.Explicit, ack_wait: nanos(o.attemptTimeoutMs * 2 + 5000), max_deliver: -1 }
  try {
    await jsm.consumers.add(o.stream, config)
  } catch (err) {
    // an existing consumer whose settings differ is updated instead
    if ((err as NatsError).api_error === undefined) throw err
    await jsm.consumers.update(o.stream, DURABLE, config)
  }
  const consumer = await o.nc.jetstream().consumers.get(o.stream, DURABLE)
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 16 })
  const inFlight = new Set<Promise<void>>()

  const handle = async (m: JsMsg): Promise<void> => {
    let job: NotifyJob
    try {
      job = m.json<NotifyJob>()
    } catch (err) {
      o.log.error({ err, seq: m.seq }, 'notification job not readable: dropped')
      m.term()
      return
    }
    const attempt = m.info.redeliveryCount
    const result = await o.send(job)
    const ok = result.error === undefined
    const outcome = ok ? 'delivered' : attempt >= o.maxAttempts ? 'gave_up' : 'failed'
    o.metrics.deliveries.inc({ channel: job.channel.kind, outcome })
    await o.record({
      jobId: job.id,
      alarmId: job.alarm.alarmId,
      site: job.alarm.siteCode,
      contact: job.contact,
      channel: job.channel.kind,
      reason: job.reason,
      step: job.step,
      attempt,
      outcome,
      status: result.status,
      error: result.error ?? null,
      at: o.clock.now()
    })
    if (ok) m.ack()
    else if (outcome === 'gave_up') {
      o.log.error({ jobId: job.id, contact: job.contact, channel: job.channel.kind, error: result.error }, 'notification not delivered: gave up')
      m.term()
    } else {
      o.log.warn({ jobId: job.id, attempt, error: result.error }, 'notification not delivered; retrying')
      m.nak(retryDelay(attempt, o.retryMinMs, o.retryMaxMs))
    }
  }

  const loop = (async () => {
    for await (const m of messages) {
      const p = handle(m).catch((err: unknown) => o.log.error({ err }, 'notification delivery failed by a bug'))
      inFlight.add(p)
      p.finally(() => inFlight.delete(p)).catch(() => {})
    }
  })().catch((err: unknown) => o.log.warn({ err }, 'notification consumer stopped'))

  return {
    async close () {
      messages.stop()
      await loop
      await Promise.allSettled([...inFlight])
    }
  }
}
