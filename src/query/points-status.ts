// Each point's link state for the board (issue 9, item 8): its last stored reading, and whether the engine
// holds it offline — through its own no-data alarm, or through the site's link alarm while the whole site is
// silent (a gateway outage is one link alarm, and every point of the site is shown offline under it). The
// states are the engine's judgement (the open alarms), never re-derived here, so the board and the alarms agree.
import { sqlTimestamp, type Reader } from '../3-store/types.js'
import type { Alarm } from '../5-alarm/types.js'

/** LOOKBACK_MS bounds the scan for a point's last reading: older than 7 days counts as none. */
export const LOOKBACK_MS = 7 * 86_400_000

/** PointState is a point's link state: online, offline (with why), or never heard from in the lookback. */
export type PointState = 'online' | 'offline' | 'never'

/** PointStatus is one point's line. */
export interface PointStatus {
  pointCode: string
  state: PointState
  lastTs: number | null
  value: number | null
  /** the alarm holding the point offline */
  alarmId?: string
  because?: 'site_link' | 'no_data'
}

/** LastReading is a point's latest stored reading. */
export interface LastReading { point: string, ts: number, value: number }

/** lastReadings reads each point's latest reading of a site within the lookback. */
export async function lastReadings (reader: Reader, site: string, now: number): Promise<LastReading[]> {
  return await reader.query<LastReading>(
    `SELECT point, ts, value FROM readings WHERE site = $1 AND ts >= ${sqlTimestamp(now - LOOKBACK_MS)} LATEST ON ts PARTITION BY point`,
    [site]
  )
}

/** SITE_LINK_RULE and POINT_LINK_RULE are the engine's connectivity rules (rules/connectivity.yaml). */
export const SITE_LINK_RULE = 'connectivity.site.no_data'
export const POINT_LINK_RULE = 'connectivity.point.no_data'

/** pointStatuses joins the site's points, their last readings and the open connectivity alarms. */
export function pointStatuses (points: readonly string[], last: readonly LastReading[], open: readonly Alarm[]): { link: Alarm | undefined, points: PointStatus[] } {
  const active = open.filter((a) => a.active && a.state !== 'closed')
  const link = active.find((a) => a.ruleId === SITE_LINK_RULE)
  const byPoint = new Map(last.map((r) => [r.point, r]))
  return {
    link,
    points: points.map((code) => {
      const r = byPoint.get(code)
      const base = { pointCode: code, lastTs: r?.ts ?? null, value: r?.value ?? null }
      if (link !== undefined) return { ...base, state: 'offline', alarmId: link.alarmId, because: 'site_link' }
      const own = active.find((a) => a.ruleId === POINT_LINK_RULE && a.points.includes(code))
      if (own !== undefined) return { ...base, state: 'offline', alarmId: own.alarmId, because: 'no_data' }
      return { ...base, state: r === undefined ? 'never' : 'online' }
    })
  }
}
