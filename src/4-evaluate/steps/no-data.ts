// Silence (DQ-3/DQ-4/DQ-5). A point is silent when now − lastSeen > missedPeriods × intervalS; a site
// when all its watched points are, for missedPeriods × the smallest intervalS. Only the periodic check
// raises; only a reading clears (a restart must not clear an alarm for a point that is still silent).

/** PointTrack remembers when a point last reported, for the no-data checks. */
export interface PointTrack {
  /** highest event time seen for the point, null if it never reported since the engine started */
  lastTs: number | null
  /** the later of the point's definedAt and the engine start: "last seen" for a point never heard from */
  baseline: number
}

/** lastSeen is the point's last event time, or its baseline (definedAt / engine start) if it never reported. */
export function lastSeen (t: PointTrack): number {
  return t.lastTs ?? t.baseline
}

/** siteLastSeen is the latest lastSeen among the site's watched points. */
export function siteLastSeen (tracks: readonly PointTrack[]): number {
  let max = -Infinity
  for (const t of tracks) {
    const seen = lastSeen(t)
    if (seen > max) max = seen
  }
  return max
}

/** silent tells whether data last seen at `seen` is more than `thresholdMs` old at `now`. */
export function silent (seen: number, thresholdMs: number, now: number): boolean {
  return now - seen > thresholdMs
}

/** noteReading moves the point's lastSeen forward (never back: an old resend does not make it stale). */
export function noteReading (t: PointTrack, ts: number): void {
  if (t.lastTs === null || ts > t.lastTs) t.lastTs = ts
}
