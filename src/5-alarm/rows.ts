// The alarm_transitions row of a transition record, and back. Each row carries the whole alarm after the
// transition; alarm fields that a transition does not name (condition_ts, started_at) make the rebuild exact.
import type { Row } from '../3-store/types.js'
import type { Alarm, AlarmTransitionRecord } from './types.js'

/** toRow turns a transition record into its alarm_transitions row. */
export function toRow (r: AlarmTransitionRecord): Row {
  const a = r.alarm
  const symbols: Record<string, string> = {
    transition: r.transition, category: a.category, level: a.level, site: a.siteCode, rule_id: a.ruleId, state: a.state
  }
  if (r.disposition !== undefined) symbols.disposition = r.disposition
  return {
    symbols,
    columns: {
      alarm_id: r.alarmId,
      seq: r.seq,
      points: a.points.join(','),
      rule_version: a.ruleVersion,
      title: a.title,
      message: a.message,
      source: a.source,
      value: a.value,
      limit_value: a.limit,
      started_at: a.startedAt,
      event_ts: r.eventTs,
      condition_ts: a.eventTs,
      late: r.late,
      hazard_clause: a.hazardClause,
      active: a.active,
      by_user: r.by,
      assignee: r.assignee,
      note: r.note,
      evidence: evidenceText(r),
      alarm_key: a.key,
      predicted_at: r.predictedAt,
      raised_at: a.raisedAt,
      escalation: a.escalation,
      overdue: a.overdue,
      dispatch_deadline: a.deadline,
      verification_overdue: a.verificationOverdue,
      shelved_until: a.shelf?.until,
      shelve_reason: a.shelf?.reason,
      shelved_by: a.shelf?.by,
      shelve_approved_by: a.shelf?.approvedBy,
      shelf_maintenance: a.shelf?.maintenance
    },
    ints: ['seq', 'escalation'],
    timestamps: ['started_at', 'event_ts', 'condition_ts', 'predicted_at', 'raised_at', 'dispatch_deadline', 'shelved_until'],
    ts: r.detectedAt
  }
}

/** publishedRow is the alarm_published row of an acknowledged transition (ts = its detectedAt, so idempotent). */
export function publishedRow (r: AlarmTransitionRecord): Row {
  return { columns: { alarm_id: r.alarmId, seq: r.seq }, ints: ['seq'], ts: r.detectedAt }
}

/** fromRow rebuilds a transition record, and the alarm after it, from an alarm_transitions row. */
export function fromRow (row: Record<string, unknown>): AlarmTransitionRecord {
  const alarm: Alarm = {
    alarmId: str(row.alarm_id),
    key: str(row.alarm_key),
    seq: Number(row.seq),
    ruleId: str(row.rule_id),
    ruleVersion: str(row.rule_version),
    category: str(row.category) as Alarm['category'],
    level: str(row.level) as Alarm['level'],
    siteCode: str(row.site),
    points: str(row.points) === '' ? [] : str(row.points).split(','),
    title: str(row.title),
    message: str(row.message),
    source: str(row.source),
    value: num(row.value),
    limit: num(row.limit_value),
    startedAt: ms(row.started_at),
    detectedAt: ms(row.ts),
    eventTs: ms(row.condition_ts),
    late: row.late === true,
    hazardClause: optStr(row.hazard_clause) ?? null,
    active: row.active === true,
    state: str(row.state) as Alarm['state'],
    // rows from before the duty room have none of these: the raise counts from the condition's start
    raisedAt: row.raised_at === null || row.raised_at === undefined ? ms(row.started_at) : ms(row.raised_at),
    escalation: Number.isInteger(row.escalation) ? Number(row.escalation) : 0,
    overdue: row.overdue === true,
    // rows from before migration 011 have neither: no deadline, never marked
    deadline: row.dispatch_deadline === null || row.dispatch_deadline === undefined ? null : ms(row.dispatch_deadline),
    verificationOverdue: row.verification_overdue === true,
    shelf: shelfOf(row)
  }
  return withOptionals({
    alarmId: alarm.alarmId,
    seq: alarm.seq,
    transition: str(row.transition) as AlarmTransitionRecord['transition'],
    alarm,
    detectedAt: alarm.detectedAt,
    eventTs: ms(row.event_ts),
    late: alarm.late
  }, row)
}

function withOptionals (r: AlarmTransitionRecord, row: Record<string, unknown>): AlarmTransitionRecord {
  const by = optStr(row.by_user)
  const assignee = optStr(row.assignee)
  const disposition = optStr(row.disposition)
  const note = optStr(row.note)
  const evidence = optStr(row.evidence)
  if (row.predicted_at !== null && row.predicted_at !== undefined) r.predictedAt = ms(row.predicted_at)
  if (by !== undefined) r.by = by
  if (assignee !== undefined) r.assignee = assignee
  if (disposition !== undefined) r.disposition = disposition as AlarmTransitionRecord['disposition']
  if (note !== undefined) r.note = note
  if (evidence !== undefined) Object.assign(r, parseEvidence(evidence))
  return r
}

// The evidence column holds the readings as a JSON array, as it always has; a transition with attachments
// (an AI event's snapshot reference) stores an object { readings, attachments } instead, read back by both.
function evidenceText (r: AlarmTransitionRecord): string | undefined {
  if (r.attachments === undefined || r.attachments.length === 0) return r.evidence === undefined ? undefined : JSON.stringify(r.evidence)
  return JSON.stringify({ readings: r.evidence ?? [], attachments: r.attachments })
}

function parseEvidence (text: string): Pick<AlarmTransitionRecord, 'evidence' | 'attachments'> {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return {} // the audit row stays readable even if its evidence column was damaged
  }
  if (Array.isArray(v)) return { evidence: v as AlarmTransitionRecord['evidence'] }
  const o = v as { readings?: AlarmTransitionRecord['evidence'], attachments?: AlarmTransitionRecord['attachments'] } | null
  const out: Pick<AlarmTransitionRecord, 'evidence' | 'attachments'> = {}
  if (Array.isArray(o?.readings) && o.readings.length > 0) out.evidence = o.readings
  if (Array.isArray(o?.attachments)) out.attachments = o.attachments
  return out
}

function shelfOf (row: Record<string, unknown>): Alarm['shelf'] {
  if (row.shelved_until === null || row.shelved_until === undefined) return null
  const approvedBy = optStr(row.shelve_approved_by)
  const maintenance = optStr(row.shelf_maintenance)
  return {
    until: ms(row.shelved_until),
    reason: str(row.shelve_reason),
    by: str(row.shelved_by),
    ...(approvedBy === undefined ? {} : { approvedBy }),
    ...(maintenance === undefined ? {} : { maintenance })
  }
}

function str (v: unknown): string { return v === null || v === undefined ? '' : String(v) }
function optStr (v: unknown): string | undefined { return v === null || v === undefined ? undefined : String(v) }
function num (v: unknown): number | null { return v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v) }

// The store's Reader returns epoch ms; a Date or an ISO string (another Reader) is accepted too.
function ms (v: unknown): number {
  if (typeof v === 'number') return v
  if (v instanceof Date) return v.getTime()
  return v === null || v === undefined ? 0 : Date.parse(String(v))
}
