// Notification jobs: who is told what about an alarm, each job one contact over one channel. A job's id is
// derived from the alarm and the moment it stands for (the transition's seq, or the repeat's number on the grid
// raisedAt + k × repeat), never from when it was planned, so a job planned twice (a restart, a replay) has
// the same Nats-Msg-Id and JetStream keeps one; the round's time (`at`) picks who is on duty, for the same
// reason.
import { createHash } from 'node:crypto'
import type { AlarmMessage } from '../contract/index.js'
import type { Channel, Contact, NotifyJob, NotifyReason, Roster } from './types.js'
import { recipients } from './roster.js'

/** contactKey names a contact's channel stably (a hash, so no address ends up in a message id). */
export function contactKey (c: Contact, ch: Channel): string {
  return createHash('sha256').update(JSON.stringify([c.name, ch])).digest('hex').slice(0, 12)
}

/** PlanInput is what one round of notifications is about. */
export interface PlanInput {
  alarm: AlarmMessage
  reason: NotifyReason
  /** the escalation step reached (alarm.escalation) */
  step: number
  /** what makes the round unique for the alarm: `s${seq}` for a transition, `r${k}@${raisedAt}` for a repeat */
  tag: string
  /** the moment the round stands for (rounds.ts): who is on duty then */
  at: number
}

/** planJobs lists the jobs of one round: raised and repeats tell the people involved, an escalation the next one too. */
export function planJobs (roster: Roster, p: PlanInput): NotifyJob[] {
  const a = p.alarm
  // a repeat or a higher level reaches everyone involved so far; a raise or an escalation the person on duty and the step's one
  const who = recipients(roster, { level: a.level, category: a.category }, p.at, p.step, p.reason === 'repeat' || p.reason === 'level_up')
  return who.flatMap(({ contact, step }) => contact.channels.map((channel) => ({
    id: `notify:${a.alarmId}:${p.tag}:${contactKey(contact, channel)}`,
    reason: p.reason,
    step,
    contact: contact.name,
    channel,
    alarm: a,
    plannedAt: p.at
  })))
}
