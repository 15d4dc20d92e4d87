// Rounds of notifications and what a restart plans again (issue 9 item 7: "repeat until acknowledged;
// delivery recorded and retried through the same outbox as everything else").
//
// Between a transition and the notify stream a round lives only in memory (the roster read, the outbox), so a
// shutdown, a crash or a NATS outage can lose it, and a repeat due while the server was down never fires.
// What was due is in the alarm's audit trail, and a round is a pure function of it: the transition (or the
// repeat's number on the grid raisedAt + k × repeat), its time, the roster. So at start the planner plans
// again the rounds of the current occurrence of every alarm that still needs telling, and the job ids come
// out the same: the ones with a delivery record are left out (they reached the stream, where JetStream
// delivers or gives them up), JetStream's duplicate window drops the ones stored but not yet attempted.
import type { Alarm, AlarmTransitionRecord } from '../5-alarm/types.js'
import type { NotifyReason } from './types.js'

/** Round is one notification round of an alarm: planJobs' input, with the transition it tells about. */
export interface Round {
  record: AlarmTransitionRecord
  reason: NotifyReason
  /** the escalation step reached */
  step: number
  /** `s${seq}` for a transition, `r${k}@${raisedAt}` for the k-th repeat: with the contact, the job id */
  tag: string
  /** the moment the round stands for (the transition, the repeat's time on the grid), never when it was planned,
   * so that a round planned again picks the same people on duty and the same job ids */
  at: number
}

/** repeatsWhile tells whether an alarm is still reminded of (and so still needs telling after a restart). */
export function repeatsWhile (a: Alarm): boolean {
  return a.state === 'open' && a.shelf === null
}

/**
 * roundOf is the round a transition starts, when it tells anyone: a raise, a higher level, a deadline passed.
 * A shelved alarm tells no one (a raise held by a maintenance window, a level change under a shelf): that is
 * what the shelf is for, and the board shows it. A shelf ending while the alarm is still unacknowledged tells
 * the people on duty, as a raise would: for them it is new.
 */
export function roundOf (r: AlarmTransitionRecord): Round | undefined {
  const at = { record: r, tag: `s${r.seq}`, at: r.detectedAt }
  if (r.alarm.shelf !== null && r.alarm.shelf.until > r.detectedAt) return undefined
  if (r.transition === 'unshelved') return r.alarm.state === 'open' ? { ...at, reason: 'raised', step: r.alarm.escalation } : undefined
  if (r.transition === 'raised') return { ...at, reason: 'raised', step: 0 }
  // a higher level may reach people whose filters left the lower one out (a red-only contact)
  if (r.transition === 'escalated') return { ...at, reason: 'level_up', step: r.alarm.escalation }
  if (r.transition === 'response_overdue') return { ...at, reason: 'escalation', step: r.alarm.escalation }
  return undefined
}

/**
 * repeatRound is the k-th repeat, told as `record` (the alarm's last transition by then) stands. Its tag names
 * the raise too: a re-raise starts the grid again, and its first repeat must not be taken for the first repeat
 * of the occurrence before (JetStream would drop it as a duplicate, the records would skip it).
 */
export function repeatRound (record: AlarmTransitionRecord, k: number, repeatMs: number): Round {
  const raisedAt = record.alarm.raisedAt
  return { record, reason: 'repeat', step: record.alarm.escalation, tag: `r${k}@${raisedAt}`, at: raisedAt + k * repeatMs }
}

/** nextRepeat is the number and time of the first repeat after `now` on the alarm's grid. */
export function nextRepeat (raisedAt: number, now: number, repeatMs: number): { k: number, at: number } {
  const k = Math.max(1, Math.floor((now - raisedAt) / repeatMs) + 1)
  return { k, at: raisedAt + k * repeatMs }
}

/**
 * roundsToRestore lists the rounds of an alarm's current occurrence (from its last raise on) due by `now`: each
 * transition's round, and the latest repeat on the grid if the alarm was being repeated then (not shelved,
 * not acknowledged). Only the latest repeat: a server down for an hour reminds once, not six times. `history`
 * is in seq order.
 */
export function roundsToRestore (history: readonly AlarmTransitionRecord[], now: number, repeatMs: number): Round[] {
  const from = history.findLastIndex((r) => r.transition === 'raised')
  const raise = history[from]
  if (raise === undefined) return []
  const current = history.slice(from)
  const rounds = current.flatMap((r) => roundOf(r) ?? [])
  const k = repeatMs > 0 ? Math.floor((now - raise.alarm.raisedAt) / repeatMs) : 0
  const then = k > 0 ? current.findLast((r) => r.detectedAt <= raise.alarm.raisedAt + k * repeatMs) : undefined
  if (then !== undefined && repeatsWhile(then.alarm)) rounds.push(repeatRound(then, k, repeatMs))
  return rounds
}

/** asRecord is an open alarm as the record of its last transition, when its history cannot be read. */
export function asRecord (a: Alarm): AlarmTransitionRecord {
  return { alarmId: a.alarmId, seq: a.seq, transition: 'raised', alarm: a, detectedAt: a.detectedAt, eventTs: a.eventTs, late: a.late }
}
