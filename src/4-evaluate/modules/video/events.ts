// AI recognition results (section 5) as conditions. An AI event is a point-in-time fact, not a state: the
// box reports what it saw, and says nothing when it stops seeing it. So a condition holds from its event
// while events keep coming, and clears after a quiet period (clearAfter) with no further event: at the
// last event's time + clearAfter, found by the periodic check on the site's event time line (SiteClocks). `for` asks for events to keep coming that
// long before the first raise (off_post: an empty post for N minutes, AI-3); 0s raises on the first event.
// The raising event's snapshot reference (sha256, url) is kept as the change's attachment.
import type { Level } from '../../../contract/index.js'
import type { VideoEventRow } from '../../../1-ingest/video/types.js'
import type { ModuleContext } from '../../module.js'
import type { Attachment } from '../../types.js'
import { formatMinutes, hazardFor, ms, type Bound, type Conditions } from '../shared/condition.js'
import { conditionKey } from '../shared/keys.js'
import { EVENT_TYPES } from './schema.js'

/** Streak is a run of events of one condition: its first and last event times. */
export interface Streak { site: string, first: number, last: number, bound: Bound }

/** Streaks holds the runs by condition key. */
export type Streaks = Map<string, Streak>

/** attachment is the evidence reference of an event. */
export function attachment (e: VideoEventRow): Attachment {
  const a: Attachment = { kind: 'video', site: e.site, channel: e.channel, type: e.type, ts: e.ts }
  if (e.confidence !== undefined) a.confidence = e.confidence
  if (e.count !== undefined) a.count = e.count
  if (e.evidenceSha256 !== undefined) a.sha256 = e.evidenceSha256
  if (e.evidenceUrl !== undefined) a.url = e.evidenceUrl
  return a
}

/** confident tells whether an event reaches the rule's minConfidence (an event without one is taken). */
export function confident (b: Bound, e: VideoEventRow): boolean {
  const min = typeof b.rule.minConfidence === 'number' ? b.rule.minConfidence : 0.5
  return e.confidence === undefined || e.confidence >= min
}

/** extend adds an event to the streak of `key`, starting a new one after a quiet clearAfter. */
export function extend (streaks: Streaks, key: string, b: Bound, e: VideoEventRow): Streak {
  const clearMs = ms(b.rule, 'clearAfter', '10m')
  let s = streaks.get(key)
  if (s === undefined || e.ts - s.last >= clearMs) {
    s = { site: e.site, first: e.ts, last: e.ts, bound: b }
    streaks.set(key, s)
  }
  s.last = Math.max(s.last, e.ts)
  return s
}

/** channelName is "V01（主井口）" for messages. */
export function channelName (ctx: ModuleContext, site: string, channel: string): string {
  const name = ctx.channels.channel(site, channel)?.name
  return name === undefined ? channel : `${channel}（${name}）`
}

/** judgeEvent handles one AI event for a video_event rule of its type (subject: the channel). */
export function judgeEvent (conds: Conditions, ctx: ModuleContext, b: Bound, e: VideoEventRow, streaks: Streaks, siteKind: Parameters<typeof hazardFor>[1]): void {
  if (e.type !== b.rule.eventType || !confident(b, e)) return
  const key = conditionKey(b.rule.id, e.site, `channel:${e.channel}`)
  const s = extend(streaks, key, b, e)
  if (conds.levelOf(key) !== null || s.last - s.first < ms(b.rule, 'for', '0s')) return
  const lasting = s.last > s.first ? `，持续 ${formatMinutes(s.last - s.first)}` : ''
  conds.set(ctx, key, b.ref, e.site, {
    level: (b.rule.level as Level | undefined) ?? 'yellow',
    value: e.confidence ?? null,
    limit: typeof b.rule.minConfidence === 'number' ? b.rule.minConfidence : 0.5,
    eventTs: e.ts,
    startedAt: s.first,
    receivedAt: e.receivedAt,
    points: [],
    message: `视频通道 ${channelName(ctx, e.site, e.channel)} 识别到${EVENT_TYPES[e.type]}${e.confidence === undefined ? '' : `（置信度 ${e.confidence}）`}${lasting}`,
    hazardClause: hazardFor(b.rule, siteKind),
    attachments: [attachment(e)]
  })
}

/**
 * SiteClocks is each site's event time line: the latest event time its AI events reached, moving on with the
 * engine's clock from when that event was taken. Events delivered 40 minutes late (a box catching up after
 * an outage) are on a line 40 minutes behind the server's: a condition they raise is not cleared at the next
 * check, but once the site's own events (or, with none, as much time as clearAfter) show the quiet period.
 * A site not heard from since the engine started is on the engine's clock (conditions restored at a restart).
 */
export class SiteClocks {
  private readonly lines = new Map<string, { ts: number, at: number }>()

  /** observe moves the site's line to an event's time, if later; `now` is the engine's clock */
  observe (site: string, ts: number, now: number): void {
    const line = this.lines.get(site)
    if (line === undefined) this.lines.set(site, { ts, at: now })
    else if (ts > line.ts) { line.ts = ts; line.at = now }
  }

  /** now is the site's event time at the engine's time `now` */
  now (site: string, now: number): number {
    const line = this.lines.get(site)
    return line === undefined ? now : line.ts + Math.max(0, now - line.at)
  }
}

/** expire clears every condition whose streak went quiet for its rule's clearAfter on its site's time line, and drops old streaks. */
export function expire (conds: Conditions, ctx: ModuleContext, streaks: Streaks, clocks: SiteClocks): void {
  for (const [key, s] of streaks) {
    const clearMs = ms(s.bound.rule, 'clearAfter', '10m')
    if (clocks.now(s.site, ctx.now) - s.last < clearMs) continue
    streaks.delete(key)
    if (conds.levelOf(key) === null) continue
    conds.set(ctx, key, s.bound.ref, s.site, {
      level: null, value: null, limit: null, eventTs: s.last + clearMs, message: `${formatMinutes(clearMs)}内未再识别到，条件解除`
    })
  }
}
