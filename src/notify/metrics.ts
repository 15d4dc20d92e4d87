// Notification metrics. Labels are bounded: channel kind (5), outcome (3), reason (4); never a site or a person.
import { Counter, Gauge, type Registry } from 'prom-client'

/** NotifyMetrics are the notify component's own. */
export interface NotifyMetrics {
  deliveries: Counter<'channel' | 'outcome'>
  planned: Counter<'reason'>
  publishFailures: Counter
  pending: Gauge
}

/** createNotifyMetrics registers them on `registry`. */
export function createNotifyMetrics (registry: Registry): NotifyMetrics {
  const registers = [registry]
  return {
    deliveries: new Counter({
      name: 'minewatch_notify_deliveries_total',
      help: 'Notification delivery attempts by channel and outcome (delivered, failed and retried, gave_up)',
      labelNames: ['channel', 'outcome'] as const,
      registers
    }),
    planned: new Counter({
      name: 'minewatch_notify_jobs_total',
      help: 'Notification jobs acknowledged by the notify stream, by reason (raised, level_up, escalation, repeat)',
      labelNames: ['reason'] as const,
      registers
    }),
    publishFailures: new Counter({ name: 'minewatch_notify_publish_failures_total', help: 'Failed publishes of notification jobs (retried)', registers }),
    pending: new Gauge({ name: 'minewatch_notify_outbox_pending', help: 'Notification jobs not yet acknowledged by JetStream', registers })
  }
}
