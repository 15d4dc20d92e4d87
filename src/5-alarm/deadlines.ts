// Deadlines of the duty room (issue 9, item 5), on the injected scheduler so they run in virtual time in tests:
// - response: an alarm still open (not acknowledged, not shelved) when its level's deadline passes is escalated
//   (a response_overdue transition: published, marked on the console, notified to the next person on the
//   roster); again after each further deadline, up to maxEscalations;
// - repair: an alarm not closed within the repair deadline is marked overdue (repair_overdue), and its close
//   carries the mark;
// - verification: an alarm still dispatched when the deadline its dispatch named passes is marked
//   (verification_overdue, verificationOverdue: true), a mark of its own: the repair mark keeps counting from the
//   raise, for the reports that count repairs over 24 h;
// - shelf: a shelf ends by itself at its end time.
// The response and repair deadlines count from the raise (server time), the verification one is the time the
// dispatch named; all are recomputed after every transition of the alarm, and rebuilt from the open alarms at
// start, so one that passed while the server was down fires at once.
import type { SchedulerLike, Subscription } from 'rxjs'
import type { Level } from '../contract/index.js'
import type { Clock } from '../lib/clock.js'
import type { Log } from '../lib/log.js'
import type { AlarmService } from './service.js'
import type { Alarm } from './types.js'

/** MAX_TIMER_MS is the longest delay a timer of the platform keeps (setTimeout's signed 32-bit milliseconds). */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** DeadlinePolicy is config.deadlines: per-level response deadlines, the repair deadline, the escalation cap. */
export interface DeadlinePolicy {
  responseMs: Readonly<Record<Level, number>>
  repairMs: number
  maxEscalations: number
}

/** Due is one deadline of an alarm. */
export interface Due { kind: 'response' | 'repair' | 'verification' | 'shelf', at: number }

/** dueOf lists the deadlines still ahead of an alarm in its current state. */
export function dueOf (a: Alarm, p: DeadlinePolicy): Due[] {
  if (a.state === 'closed') return []
  const due: Due[] = []
  if (a.state === 'open' && a.shelf === null && a.escalation < p.maxEscalations) {
    due.push({ kind: 'response', at: a.raisedAt + p.responseMs[a.level] * (a.escalation + 1) })
  }
  // planned work holds the alarm: its repair clock is not the duty room's until the window lets it go
  if (!a.overdue && a.shelf?.maintenance === undefined) due.push({ kind: 'repair', at: a.raisedAt + p.repairMs })
  if (a.state === 'dispatched' && a.deadline !== null && !a.verificationOverdue) due.push({ kind: 'verification', at: a.deadline })
  if (a.shelf !== null) due.push({ kind: 'shelf', at: a.shelf.until })
  return due
}

/** DeadlineOptions wire the deadlines to the alarm service and time. */
export interface DeadlineOptions {
  alarms: Pick<AlarmService, 'deadline' | 'act' | 'list' | 'transitions$'>
  scheduler: SchedulerLike
  clock: Clock
  policy: DeadlinePolicy
  log: Log
}

/** Deadlines keeps one set of timers per open alarm. */
export interface Deadlines {
  start: () => Promise<void>
  /** pending is the number of alarms with timers, for tests and metrics */
  pending: () => number
  close: () => void
}

/** createDeadlines builds the timers; call start() once the alarm service has started. */
export function createDeadlines (o: DeadlineOptions): Deadlines {
  const timers = new Map<string, Subscription[]>()
  let watching: Subscription | undefined

  const fire = async (alarmId: string, due: Due): Promise<void> => {
    try {
      if (due.kind === 'shelf') await o.alarms.act(alarmId, { type: 'unshelve', by: 'system', note: 'the shelf ended' })
      else await o.alarms.deadline(alarmId, due.kind)
    } catch (err) {
      // an operator got there first (unshelved, closed): nothing is due any more
      o.log.debug({ err, alarmId, kind: due.kind }, 'deadline not applied')
    }
  }

  const schedule = (a: Alarm): void => {
    for (const s of timers.get(a.alarmId) ?? []) s.unsubscribe()
    const due = dueOf(a, o.policy)
    if (due.length === 0) { timers.delete(a.alarmId); return }
    timers.set(a.alarmId, due.map((d) => {
      const wait = Math.max(0, d.at - o.clock.now())
      // a timer longer than setTimeout's 2^31-1 ms would fire at once: wake up before it and look again
      if (wait > MAX_TIMER_MS) return o.scheduler.schedule(() => schedule(a), MAX_TIMER_MS)
      return o.scheduler.schedule(() => { fire(a.alarmId, d).catch(() => {}) }, wait)
    }))
  }

  return {
    async start () {
      watching = o.alarms.transitions$.subscribe((r) => schedule(r.alarm))
      for (const a of await o.alarms.list({ state: 'open', limit: Number.MAX_SAFE_INTEGER })) schedule(a)
    },
    pending: () => timers.size,
    close () {
      watching?.unsubscribe()
      for (const subs of timers.values()) for (const s of subs) s.unsubscribe()
      timers.clear()
    }
  }
}
