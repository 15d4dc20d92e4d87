// What a window does to alarms already open when it starts, and when it is ended early. Alarms raised while it
// is on are shelved by transition() itself (TransitionContext.cover); a window's shelves end by themselves at
// its end (the shelf deadline); ending it early takes its shelves off at once.
// Timers run on the injected scheduler (virtual time in tests); a window that started while the server was
// down is swept at start.
import type { SchedulerLike, Subscription } from 'rxjs'
import type { Clock } from '../../lib/clock.js'
import type { Log } from '../../lib/log.js'
import type { AlarmService } from '../service.js'
import { MAX_TIMER_MS } from '../deadlines.js'
import { covers, MAINTENANCE_ACTOR, shelfOf, stateOf, type MaintenanceWindow } from './windows.js'
import type { WindowStore } from './store.js'

/** SweepOptions wire the sweep to the windows, the alarms and time. */
export interface SweepOptions {
  store: Pick<WindowStore, 'all' | 'onChange'>
  alarms: Pick<AlarmService, 'act' | 'list'>
  scheduler: SchedulerLike
  clock: Clock
  log: Log
}

/** MaintenanceSweep applies windows to the alarms already open. */
export interface MaintenanceSweep {
  start: () => Promise<void>
  /** settle resolves once the sweeps started so far are done (tests, and a route that answers after them) */
  settle: () => Promise<void>
  close: () => void
}

/** createMaintenanceSweep builds the sweep; start() after the alarm service has started. */
export function createMaintenanceSweep (o: SweepOptions): MaintenanceSweep {
  const timers = new Map<string, Subscription>()
  let work: Promise<void> = Promise.resolve()
  let closed = false
  const enqueue = (fn: () => Promise<void>): void => {
    work = work.then(fn).catch((err) => { o.log.warn({ err }, 'maintenance sweep failed') })
  }

  const shelveOpen = async (w: MaintenanceWindow): Promise<void> => {
    const now = o.clock.now()
    if (stateOf(w, now) !== 'active') return
    for (const a of await o.alarms.list({ site: w.siteCode, limit: Number.MAX_SAFE_INTEGER })) {
      const shelf = shelfOf(w, a.level)
      if (a.state !== 'open' || a.shelf !== null || shelf === null || !covers(w, a.siteCode, a.points, now)) continue
      await o.alarms.act(a.alarmId, { type: 'shelve', by: MAINTENANCE_ACTOR, reason: shelf.reason, until: shelf.until, ...(shelf.approvedBy === undefined ? {} : { approvedBy: shelf.approvedBy }), maintenance: w.id })
        .catch((err) => { o.log.debug({ err, alarmId: a.alarmId, window: w.id }, 'not shelved by the window') })
    }
  }

  const unshelveEnded = async (w: MaintenanceWindow): Promise<void> => {
    for (const a of await o.alarms.list({ site: w.siteCode, limit: Number.MAX_SAFE_INTEGER })) {
      if (a.shelf?.maintenance !== w.id) continue
      await o.alarms.act(a.alarmId, { type: 'unshelve', by: w.endedBy ?? MAINTENANCE_ACTOR, note: `检修窗口 ${w.id} 提前结束` })
        .catch((err) => { o.log.debug({ err, alarmId: a.alarmId, window: w.id }, 'not unshelved') })
    }
  }

  const follow = (w: MaintenanceWindow): void => {
    if (closed) return
    timers.get(w.id)?.unsubscribe()
    timers.delete(w.id)
    const state = stateOf(w, o.clock.now())
    if (state === 'ended') { if (w.endedAt !== undefined) enqueue(async () => await unshelveEnded(w)); return }
    if (state === 'active') { enqueue(async () => await shelveOpen(w)); return }
    const wait = w.from - o.clock.now()
    timers.set(w.id, o.scheduler.schedule(() => follow(w), Math.min(wait, MAX_TIMER_MS)))
  }

  return {
    async start () {
      o.store.onChange(follow)
      for (const w of o.store.all()) follow(w)
      await work
    },
    settle: async () => { await work },
    close () {
      closed = true
      for (const s of timers.values()) s.unsubscribe()
      timers.clear()
    }
  }
}
