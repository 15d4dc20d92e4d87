// The notifications table (migrations/010.do.notifications.sql): one row per delivery attempt, the listing of
// an alarm's attempts for GET /v1/alarms/:alarmId/notifications, and the jobs a restart must not plan again.
import type { Reader, Row } from '../3-store/types.js'
import type { ChannelKind, Delivery, DeliveryOutcome, NotifyReason } from './types.js'

/** NOTIFICATIONS_TABLE holds the attempts. */
export const NOTIFICATIONS_TABLE = 'notifications'

/** toDeliveryRow is the stored row of an attempt; job id and attempt make a retried write an upsert. */
export function toDeliveryRow (d: Delivery): Row {
  return {
    symbols: { site: d.site, channel: d.channel, reason: d.reason, outcome: d.outcome },
    columns: {
      job_id: d.jobId,
      alarm_id: d.alarmId,
      contact: d.contact,
      step: d.step,
      attempt: d.attempt,
      status: d.status ?? undefined,
      error: d.error ?? undefined
    },
    ints: ['step', 'attempt', 'status'],
    ts: d.at
  }
}

/** listDeliveries returns an alarm's attempts, oldest first. */
export async function listDeliveries (reader: Reader, alarmId: string, limit = 1000): Promise<Delivery[]> {
  const rows = await reader.query(
    `SELECT job_id, alarm_id, site, contact, channel, reason, step, attempt, outcome, status, error, ts FROM ${NOTIFICATIONS_TABLE} ` +
    `WHERE alarm_id = $1 ORDER BY ts, job_id, attempt LIMIT ${Math.trunc(limit)}`, [alarmId])
  return rows.map((r) => ({
    jobId: String(r.job_id),
    alarmId: String(r.alarm_id),
    site: String(r.site),
    contact: String(r.contact),
    channel: r.channel as ChannelKind,
    reason: r.reason as NotifyReason,
    step: Number(r.step),
    attempt: Number(r.attempt),
    outcome: r.outcome as DeliveryOutcome,
    status: r.status === null || r.status === undefined ? null : Number(r.status),
    error: typeof r.error === 'string' ? r.error : null,
    at: Number(r.ts)
  }))
}

/**
 * recordedJobs returns the ids of an alarm's jobs with an attempt recorded since sinceMs: each reached the
 * notify stream, where JetStream retries it until delivered or given up, so a restart leaves it out.
 */
export async function recordedJobs (reader: Reader, alarmId: string, sinceMs: number): Promise<Set<string>> {
  const rows = await reader.query(`SELECT DISTINCT job_id FROM ${NOTIFICATIONS_TABLE} WHERE alarm_id = $1 AND ts >= $2`,
    [alarmId, new Date(sinceMs).toISOString()])
  return new Set(rows.map((r) => String(r.job_id)))
}
