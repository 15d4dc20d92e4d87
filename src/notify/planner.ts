// When people are told (issue items 5 and 7), on the injected scheduler so that tests run it in virtual time:
// - raised, and escalated to a higher level: the person on duty of every shift on whose filters match (and,
//   after response deadlines passed, the people escalated to so far);
// - response_overdue (escalation step N = alarm.escalation): the N-th next person of the chain, and the person
//   on duty again;
// - every `repeatMs` from the raise while the alarm stays open (not acknowledged) and not shelved: everyone
//   involved so far. Acknowledging, dispatching, closing or shelving stops the repeats; unshelving an alarm
//   still open resumes them, on the same grid (raisedAt + k × repeatMs), so a restart plans the same repeats.
// Jobs go to the notify outbox; delivery, retries and records are the deliveries' (deliveries.ts).
import type { SchedulerLike, Subscription } from 'rxjs'
import { toAlarmMessage } from '../6-publish/message.js'
import type { AlarmService } from '../5-alarm/service.js'
import type { Alarm, AlarmTransitionRecord } from '../5-alarm/types.js'
import type { Clock } from '../lib/clock.js'
import type { Log } from '../lib/log.js'
import { MAX_TIMER_MS } from '../5-alarm/deadlines.js'
import { planJobs, type PlanInput } from './jobs.js'
import type { RosterStore } from './roster-store.js'
import type { NotifyJob, NotifyReason } from './types.js'

/** PlannerOptions wire the planner to the alarms, the rosters, the outbox and time. */
export interface PlannerOptions {
  alarms: Pick<AlarmService, 'transitions$' | 'list'>
  rosters: Pick<RosterStore, 'get'>
  outbox: { enqueue: (job: NotifyJob) => void }
  scheduler: SchedulerLike
  clock: Clock
  /** 0: no repeats */
  repeatMs: number
  log: Log
}

/** Planner turns transitions into notification jobs. */
export interface Planner {
  start: () => Promise<void>
  /** idle resolves once every round planned so far is in the outbox */
  idle: () => Promise<void>
  /** repeating is the number of alarms with a repeat timer */
  repeating: () => number
  /** planned counts the jobs handed to the outbox since start, by reason */
  planned: () => Readonly<Record<NotifyReason, number>>
  close: () => void
}

/** repeatsWhile tells whether an alarm is still reminded of. */
export function repeatsWhile (a: Alarm): boolean {
  return a.state === 'open' && a.shelf === null
}

/** nextRepeat is the number and time of the first repeat after `now` on the alarm's grid. */
export function nextRepeat (raisedAt: number, now: number, repeatMs: number): { k: number, at: number } {
  const k = Math.max(1, Math.floor((now - raisedAt) / repeatMs) + 1)
  return { k, at: raisedAt + k * repeatMs }
}

/** createPlanner builds the planner; call start() once the alarm service has started. */
export function createPlanner (o: PlannerOptions): Planner {
  const timers = new Map<string, Subscription>()
  const last = new Map<string, AlarmTransitionRecord>()
  const work = new Set<Promise<void>>()
  const planned: Record<NotifyReason, number> = { raised: 0, level_up: 0, escalation: 0, repeat: 0 }
  let watching: Subscription | undefined

  const round = (record: AlarmTransitionRecord, p: Omit<PlanInput, 'alarm' | 'at'>): void => {
    const at = o.clock.now()
    const job = (async () => {
      const roster = await o.rosters.get(record.alarm.siteCode)
      if (roster === undefined) {
        o.log.warn({ alarmId: record.alarmId, site: record.alarm.siteCode }, 'no duty roster for the site: nobody notified')
        return
      }
      for (const j of planJobs(roster, { ...p, alarm: toAlarmMessage(record), at })) {
        o.outbox.enqueue(j)
        planned[j.reason]++
      }
    })().catch((err: unknown) => o.log.error({ err, alarmId: record.alarmId }, 'notification round not planned'))
    work.add(job)
    job.finally(() => work.delete(job)).catch(() => {})
  }

  const scheduleRepeat = (record: AlarmTransitionRecord): void => {
    const a = record.alarm
    timers.get(a.alarmId)?.unsubscribe()
    timers.delete(a.alarmId)
    if (o.repeatMs <= 0 || !repeatsWhile(a)) { last.delete(a.alarmId); return }
    last.set(a.alarmId, record)
    const { k, at } = nextRepeat(a.raisedAt, o.clock.now(), o.repeatMs)
    const wait = at - o.clock.now()
    timers.set(a.alarmId, wait > MAX_TIMER_MS
      ? o.scheduler.schedule(() => scheduleRepeat(record), MAX_TIMER_MS)
      : o.scheduler.schedule(() => {
        const current = last.get(a.alarmId) ?? record
        round(current, { reason: 'repeat', step: current.alarm.escalation, tag: `r${k}` })
        scheduleRepeat(current)
      }, wait))
  }

  const onTransition = (r: AlarmTransitionRecord): void => {
    if (r.transition === 'raised') round(r, { reason: 'raised', step: 0, tag: `s${r.seq}` })
    // a higher level may reach people whose filters left the lower one out (a red-only contact)
    else if (r.transition === 'escalated') round(r, { reason: 'level_up', step: r.alarm.escalation, tag: `s${r.seq}` })
    else if (r.transition === 'response_overdue') round(r, { reason: 'escalation', step: r.alarm.escalation, tag: `s${r.seq}` })
    scheduleRepeat(r)
  }

  return {
    async start () {
      watching = o.alarms.transitions$.subscribe(onTransition)
      // after a restart the repeats of the open alarms go on; the record is the alarm as it stands
      for (const a of await o.alarms.list({ state: 'open', limit: Number.MAX_SAFE_INTEGER })) {
        if (!timers.has(a.alarmId)) scheduleRepeat(asRecord(a))
      }
    },
    idle: async () => { while (work.size > 0) await Promise.allSettled([...work]) },
    repeating: () => timers.size,
    planned: () => ({ ...planned }),
    close () {
      watching?.unsubscribe()
      for (const s of timers.values()) s.unsubscribe()
      timers.clear()
      last.clear()
    }
  }
}

// An open alarm loaded at start, as the record of its last transition (what a repeat's message shows).
function asRecord (a: Alarm): AlarmTransitionRecord {
  return { alarmId: a.alarmId, seq: a.seq, transition: 'raised', alarm: a, detectedAt: a.detectedAt, eventTs: a.eventTs, late: a.late }
}
