// Publisher metrics, registered on the Registry the caller owns. Labels are bounded: category, level,
// transition, reason; never an alarm id or a site code.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

export type { PublishFailureReason } from './failure.js'

/** PublishMetrics are the publisher's counters, gauge and latency histogram. */
export interface PublishMetrics {
  published: Counter<'category' | 'level' | 'transition'>
  duplicates: Counter
  failures: Counter<'reason'>
  pending: Gauge
  ingestToPublish: Histogram
}

/** createPublishMetrics registers the publisher's metrics on `registry`. */
export function createPublishMetrics (registry: Registry): PublishMetrics {
  const registers = [registry]
  return {
    published: new Counter({
      name: 'minewatch_alarm_published_total',
      help: 'Alarm transitions acknowledged by JetStream (duplicates included)',
      labelNames: ['category', 'level', 'transition'] as const,
      registers
    }),
    duplicates: new Counter({
      name: 'minewatch_alarm_publish_duplicates_total',
      help: 'Publishes JetStream dropped as duplicates of an earlier Nats-Msg-Id (a republish after a failure or restart)',
      registers
    }),
    failures: new Counter({
      name: 'minewatch_alarm_publish_failures_total',
      help: 'Publish attempts that failed or timed out and will be retried',
      labelNames: ['reason'] as const,
      registers
    }),
    pending: new Gauge({
      name: 'minewatch_alarm_outbox_pending',
      help: 'Alarm transitions waiting in the outbox for a JetStream acknowledgement',
      registers
    }),
    ingestToPublish: new Histogram({
      name: 'minewatch_ingest_to_publish_seconds',
      help: 'From the arrival of the reading that triggered a transition to its JetStream acknowledgement',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers
    })
  }
}
