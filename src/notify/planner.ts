// When people are told (issue items 5 and 7), on the injected scheduler so that tests run it in virtual time:
// - raised, and escalated to a higher level: the person on duty of every shift on whose filters match (and,
//   after response deadlines passed, the people escalated to so far);
// - response_overdue (escalation step N = alarm.escalation): the N-th next person of the chain, and the person
//   on duty again;
// - every `repeatMs` from the raise while the alarm stays open (not acknowledged) and not shelved: everyone
//   involved so far. Acknowledging, dispatching, closing or shelving stops the repeats; unshelving an alarm
//   still open resumes them, on the same grid (raisedAt + k × repeatMs), so a restart plans the same repeats.
// At start the rounds of the open alarms are planned again and their repeats re-armed (rounds.ts says why).
// Jobs go to the notify outbox; delivery, retries and records are the deliveries' (deliveries.ts).
import type { SchedulerLike, Subscription } from 'rxjs'
import { toAlarmMessage } from '../6-publish/message.js'
import type { AlarmService } from '../5-alarm/service.js'
import type { Alarm, AlarmTransitionRecord } from '../5-alarm/types.js'
import type { Clock } from '../lib/clock.js'
import type { Log } from '../lib/log.js'
import { sleep } from '../lib/sleep.js'
import { MAX_TIMER_MS } from '../5-alarm/deadlines.js'
import { planJobs } from './jobs.js'
import type { RosterStore } from './roster-store.js'
import { asRecord, nextRepeat, repeatRound, repeatsWhile, roundOf, roundsToRestore, type Round } from './rounds.js'
import type { NotifyJob, NotifyReason, Roster } from './types.js'

/** PlannerOptions wire the planner to the alarms, the rosters, the delivery records, the outbox and time. */
export interface PlannerOptions {
  alarms: Pick<AlarmService, 'transitions$' | 'list' | 'get'>
  rosters: Pick<RosterStore, 'get'>
  /** the ids of an alarm's jobs with a delivery record since `sinceMs` (they reached the stream) */
  recorded: (alarmId: string, sinceMs: number) => Promise<ReadonlySet<string>>
  outbox: { enqueue: (job: NotifyJob) => void }
  scheduler: SchedulerLike
  clock: Clock
  /** 0: no repeats */
  repeatMs: number
  log: Log
}

/** Planner turns transitions into notification jobs. */
export interface Planner {
  /** start plans again what the open alarms are owed, then follows the transitions; once the alarms started */
  start: () => Promise<void>
  /** idle resolves once every round planned so far is in the outbox */
  idle: () => Promise<void>
  /** repeating is the number of alarms with a repeat timer */
  repeating: () => number
  /** planned counts the jobs handed to the outbox since start, by reason */
  planned: () => Readonly<Record<NotifyReason, number>>
  close: () => void
}

/** createPlanner builds the planner; call start() once the alarm service has started. */
export function createPlanner (o: PlannerOptions): Planner {
  const timers = new Map<string, Subscription>()
  const last = new Map<string, AlarmTransitionRecord>()
  const work = new Set<Promise<void>>()
  const planned: Record<NotifyReason, number> = { raised: 0, level_up: 0, escalation: 0, repeat: 0 }
  const closing = new AbortController()
  let watching: Subscription | undefined

  // A roster read fails while NATS is away: the round waits for it (the outbox would hold its jobs anyway);
  // at close it is given up, and the next start plans it again.
  const rosterOf = async (site: string): Promise<Roster | undefined> => {
    for (let attempt = 0; ; attempt++) {
      try { return await o.rosters.get(site) } catch (err) {
        closing.signal.throwIfAborted()
        o.log[attempt === 0 ? 'warn' : 'debug']({ err, site, attempt }, 'cannot read the duty roster; retrying')
        await sleep(Math.min(5000, 200 * 2 ** attempt), o.scheduler, closing.signal)
      }
    }
  }

  const round = (r: Round, skip: ReadonlySet<string> = new Set()): void => {
    const job = (async () => {
      const roster = await rosterOf(r.record.alarm.siteCode)
      if (roster === undefined) {
        o.log.warn({ alarmId: r.record.alarmId, site: r.record.alarm.siteCode }, 'no duty roster for the site: nobody notified')
        return
      }
      for (const j of planJobs(roster, { ...r, alarm: toAlarmMessage(r.record) })) {
        if (skip.has(j.id)) continue
        o.outbox.enqueue(j)
        planned[j.reason]++
      }
    })().catch((err: unknown) => {
      o.log[closing.signal.aborted ? 'warn' : 'error']({ err, alarmId: r.record.alarmId, tag: r.tag }, 'notification round not planned; planned again at the next start')
    })
    work.add(job)
    job.finally(() => work.delete(job)).catch(() => {})
  }

  const scheduleRepeat = (record: AlarmTransitionRecord): void => {
    const a = record.alarm
    timers.get(a.alarmId)?.unsubscribe()
    timers.delete(a.alarmId)
    if (o.repeatMs <= 0 || !repeatsWhile(a) || closing.signal.aborted) { last.delete(a.alarmId); return }
    last.set(a.alarmId, record)
    const { k, at } = nextRepeat(a.raisedAt, o.clock.now(), o.repeatMs)
    const wait = at - o.clock.now()
    timers.set(a.alarmId, wait > MAX_TIMER_MS
      ? o.scheduler.schedule(() => scheduleRepeat(record), MAX_TIMER_MS)
      : o.scheduler.schedule(() => {
        const current = last.get(a.alarmId) ?? record
        round(repeatRound(current, k, o.repeatMs))
        scheduleRepeat(current)
      }, wait))
  }

  const onTransition = (r: AlarmTransitionRecord): void => {
    const told = roundOf(r)
    if (told !== undefined) round(told)
    scheduleRepeat(r)
  }

  // An open alarm after a restart, as it stands now: its rounds again minus the jobs recorded, its repeats re-armed.
  const restore = async (listed: Alarm): Promise<void> => {
    const detail = await o.alarms.get(listed.alarmId).catch((err: unknown) => {
      o.log.error({ err, alarmId: listed.alarmId }, 'alarm history not read: its rounds are not planned again')
    })
    const a = detail?.alarm ?? listed
    const history = detail?.history ?? []
    if (!repeatsWhile(a)) return
    const recorded = await o.recorded(a.alarmId, a.raisedAt).catch((err: unknown) => {
      o.log.warn({ err, alarmId: a.alarmId }, 'delivery records not read: JetStream\'s duplicate window alone drops what was sent')
      return new Set<string>()
    })
    for (const r of roundsToRestore(history, o.clock.now(), o.repeatMs)) round(r, recorded)
    // a transition seen since subscribing has armed the timer with a fresher record already
    const lastRecord = history.at(-1)
    if (!timers.has(a.alarmId)) scheduleRepeat(lastRecord?.seq === a.seq ? lastRecord : asRecord(a))
  }

  return {
    async start () {
      // subscribe first: a transition from here on is planned live (one seen twice has the same job ids)
      watching = o.alarms.transitions$.subscribe(onTransition)
      const open = await o.alarms.list({ state: 'open', limit: Number.MAX_SAFE_INTEGER })
      for (const a of open.filter(repeatsWhile)) await restore(a)
    },
    idle: async () => { while (work.size > 0) await Promise.allSettled([...work]) },
    repeating: () => timers.size,
    planned: () => ({ ...planned }),
    close () {
      closing.abort()
      watching?.unsubscribe()
      for (const s of timers.values()) s.unsubscribe()
      timers.clear()
      last.clear()
    }
  }
}
