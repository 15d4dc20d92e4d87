// Maintenance windows (issue 9, item 6): planned work or calibration on a site or some of its points. An alarm
// raised on what a window names, while it is on, is raised already shelved by the window (nothing is suppressed
// silently: it is on the board as shelved, with the window's reason, and published like any alarm). A red alarm
// is held only by a window that names red, once a second supervisor approved it (the shelving floor of red: two
// people); until then the window holds the other levels only.
import type { Level } from '../../contract/index.js'
import type { Shelf } from '../types.js'

/** MaintenanceWindow is one planned window. Times are epoch ms. */
export interface MaintenanceWindow {
  id: string
  siteCode: string
  /** the points it names; empty: the whole site */
  points: string[]
  from: number
  until: number
  reason: string
  /** who opened it (a person, or a token's name) */
  by: string
  /** the window also holds red alarms, once `redApprovedBy` is set */
  includeRed: boolean
  /** the second supervisor who approved holding red alarms (not the one who opened it) */
  redApprovedBy?: string
  createdAt: number
  /** set when it was ended before its time */
  endedAt?: number
  endedBy?: string
}

/** WindowState is where a window is in its life at an instant. */
export type WindowState = 'planned' | 'active' | 'ended'

/** MAINTENANCE_ACTOR is the `by` of the shelves a window puts up: the system, on the window's authority. */
export const MAINTENANCE_ACTOR = 'maintenance'

/** stateOf tells whether a window is planned, on or over at `now`. */
export function stateOf (w: MaintenanceWindow, now: number): WindowState {
  const end = Math.min(w.until, w.endedAt ?? Infinity)
  if (now >= end) return 'ended'
  return now >= w.from ? 'active' : 'planned'
}

/** covers says whether a window, on at `now`, names the alarm's site and at least one of its points. */
export function covers (w: MaintenanceWindow, siteCode: string, points: readonly string[], now: number): boolean {
  if (w.siteCode !== siteCode || stateOf(w, now) !== 'active') return false
  return w.points.length === 0 || points.some((p) => w.points.includes(p))
}

/** shelfOf is the shelf a window puts on an alarm of `level`, or null when it does not hold that level. */
export function shelfOf (w: MaintenanceWindow, level: Level): Shelf | null {
  if (level === 'red' && (!w.includeRed || w.redApprovedBy === undefined)) return null
  return {
    until: Math.min(w.until, w.endedAt ?? Infinity),
    reason: `检修窗口 ${w.id}：${w.reason}`,
    by: MAINTENANCE_ACTOR,
    ...(w.redApprovedBy === undefined ? {} : { approvedBy: w.redApprovedBy }),
    maintenance: w.id
  }
}

/** CoverFn finds the shelf the windows on at `now` put on a new alarm (the one ending last), or null. */
export type CoverFn = (siteCode: string, points: readonly string[], level: Level, now: number) => Shelf | null

/** coverFrom builds a CoverFn over the current windows. */
export function coverFrom (windows: () => Iterable<MaintenanceWindow>): CoverFn {
  return (siteCode, points, level, now) => {
    let best: Shelf | null = null
    for (const w of windows()) {
      if (!covers(w, siteCode, points, now)) continue
      const s = shelfOf(w, level)
      if (s !== null && (best === null || s.until > best.until)) best = s
    }
    return best
  }
}
