// What the feed tells besides the streams: a maintenance window opened, changed or ended, and a red shelf
// requested or settled. Both live in key-value buckets, not in a stream, so they carry no event id: they are
// hints that a list changed, which a console reads again (and reads anyway after every reconnect).
import { Observable } from 'rxjs'
import type { MirrorChange } from '../lib/kv-mirror.js'
import type { ShelveRequest } from '../5-alarm/shelve-requests.js'
import type { MaintenanceWindow } from '../5-alarm/maintenance/windows.js'
import { stateOf } from '../5-alarm/maintenance/windows.js'
import { windowView } from '../5-alarm/maintenance/routes.js'
import { toIso } from '../lib/time.js'

/** Notice is one such change, with the site it belongs to (the feed shows it only to that site's watchers). */
export interface Notice { event: 'maintenance' | 'shelve-request', siteCode: string, data: Record<string, unknown> }

/** NoticeSources are the buckets' change hooks. */
export interface NoticeSources {
  windows: { onChange: (fn: (w: MaintenanceWindow) => void) => void }
  requests: { onChange: (fn: (c: MirrorChange<ShelveRequest>) => void) => () => void }
  now: () => number
}

/** notices$ emits every change of both buckets as a Notice. */
export function notices$ (s: NoticeSources): Observable<Notice> {
  return new Observable<Notice>((subscriber) => {
    let open = true
    s.windows.onChange((w) => { if (open) subscriber.next(maintenanceNotice(w, s.now())) })
    const stop = s.requests.onChange((c) => {
      const n = requestNotice(c)
      if (n !== undefined) subscriber.next(n)
    })
    return () => { open = false; stop() }
  })
}

/** maintenanceNotice is a window as GET /v1/maintenance lists it. */
export function maintenanceNotice (w: MaintenanceWindow, now: number): Notice {
  return { event: 'maintenance', siteCode: w.siteCode, data: windowView(w, stateOf(w, now)) }
}

/** requestNotice tells a request made (waiting: true) or settled (waiting: false). */
export function requestNotice (c: MirrorChange<ShelveRequest>): Notice | undefined {
  const r = c.value ?? c.previous
  if (r === undefined) return undefined
  return {
    event: 'shelve-request',
    siteCode: r.siteCode,
    data: { alarmId: r.alarmId, siteCode: r.siteCode, waiting: c.value !== undefined, by: r.by, reason: r.reason, minutes: r.minutes, requestedAt: toIso(r.requestedAt) }
  }
}
