// The contract payload of an alarm transition (section 6, schemas/alarm-message.json). Times are RFC 3339 UTC.
import type { AlarmMessage } from '../contract/index.js'
import type { AlarmTransitionRecord } from '../5-alarm/types.js'
import { toIso } from '../lib/time.js'

/** toAlarmMessage renders a transition record as the published (and returned) alarm message. */
export function toAlarmMessage (r: AlarmTransitionRecord): AlarmMessage {
  const a = r.alarm
  const msg: AlarmMessage = {
    alarmId: r.alarmId,
    seq: r.seq,
    transition: r.transition,
    category: a.category,
    level: a.level,
    siteCode: a.siteCode,
    points: a.points,
    ruleId: a.ruleId,
    ruleVersion: a.ruleVersion,
    title: a.title,
    message: a.message,
    value: finiteOrNull(a.value),
    limit: finiteOrNull(a.limit),
    startedAt: toIso(a.startedAt),
    detectedAt: toIso(r.detectedAt),
    late: r.late,
    hazardClause: a.hazardClause,
    // extensions
    state: a.state,
    active: a.active,
    eventAt: toIso(r.eventTs),
    source: a.source
  }
  // Optional extensions are left out rather than sent as null: the schema types them as strings.
  if (r.by !== undefined) msg.by = r.by
  if (r.assignee !== undefined) msg.assignee = r.assignee
  if (r.disposition !== undefined) msg.disposition = r.disposition
  if (r.note !== undefined) msg.note = r.note
  if (r.predictedAt !== undefined) msg.predictedAt = toIso(r.predictedAt)
  // the duty room's fields (issue 9) appear once they mean something, so a v1 message stays as it was
  if (a.escalation > 0) msg.escalation = a.escalation
  if (a.overdue) msg.overdue = true
  // what the deadlines counted from, once one has passed
  if (a.escalation > 0 || a.overdue) msg.raisedAt = toIso(a.raisedAt)
  if (a.shelf !== null) msg.shelf = shelfView(a.shelf)
  // the dispatch deadline, from the dispatch that named one on (so the close still shows what was asked)
  if (a.deadline !== null) msg.deadline = toIso(a.deadline)
  if (a.verificationOverdue) msg.verificationOverdue = true
  return msg
}

/** shelfView renders a shelf with RFC 3339 times. */
export function shelfView (s: NonNullable<AlarmTransitionRecord['alarm']['shelf']>): NonNullable<AlarmMessage['shelf']> {
  return {
    until: toIso(s.until),
    reason: s.reason,
    by: s.by,
    ...(s.approvedBy === undefined ? {} : { approvedBy: s.approvedBy }),
    ...(s.maintenance === undefined ? {} : { maintenance: s.maintenance })
  }
}

/** encodeAlarmMessage is the UTF-8 JSON body published on NATS. */
export function encodeAlarmMessage (r: AlarmTransitionRecord): Uint8Array {
  return Buffer.from(JSON.stringify(toAlarmMessage(r)), 'utf8')
}

// JSON has no NaN or Infinity; the contract's value and limit are numbers or null.
function finiteOrNull (v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null
}
