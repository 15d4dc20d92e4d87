// Video evidence against the declared site status (明停暗开, AI-1), and camera tampering (AI-2).
import type { Level, SiteKind, SiteStatus } from '../../../contract/index.js'
import { parseDuration } from '../../../lib/duration.js'
import type { Site } from '../../../registry/types.js'
import type { VideoEventRow } from '../../../1-ingest/video/types.js'
import type { ModuleContext } from '../../module.js'
import { formatMinutes, hazardFor, type Bound, type Conditions } from '../shared/condition.js'
import { SITE_SUBJECT, conditionKey } from '../shared/keys.js'
import { attachment, channelName, confident, extend, type Streaks } from './events.js'
import { EVENT_TYPES } from './schema.js'

/** PRODUCTION_SIGNS are the events that show production by default: belt running, trucks leaving, people counted. */
export const PRODUCTION_SIGNS = ['belt_running', 'vehicle_departure', 'person_count'] as const
const SUSPENDED: readonly SiteStatus[] = ['suspended', 'closed']

/**
 * judgeActivity: a production sign while the site's status at the event's time is suspended or closed
 * raises the site's condition (subject '*'); person_count counts only with count > 0. It clears after
 * clearAfter without a sign (expire), or when the site's status is no longer one of `statuses` (settle).
 */
export function judgeActivity (conds: Conditions, ctx: ModuleContext, b: Bound, e: VideoEventRow, streaks: Streaks, site: Site): void {
  const types: readonly string[] = (b.rule.eventTypes as string[] | undefined) ?? PRODUCTION_SIGNS
  if (!types.includes(e.type) || !confident(b, e)) return
  if (e.type === 'person_count' && (e.count ?? 0) <= 0) return
  const statuses = (b.rule.statuses as SiteStatus[] | undefined) ?? SUSPENDED
  const status = ctx.registry.statusAt(e.site, e.ts)
  if (status === undefined || !statuses.includes(status)) return
  const key = conditionKey(b.rule.id, e.site, SITE_SUBJECT)
  const s = extend(streaks, key, b, e)
  conds.set(ctx, key, b.ref, e.site, {
    level: (b.rule.level as Level | undefined) ?? 'orange',
    value: e.count ?? null,
    limit: null,
    eventTs: e.ts,
    startedAt: s.first,
    receivedAt: e.receivedAt,
    message: `矿山已申报停产（${status}），视频通道 ${channelName(ctx, e.site, e.channel)} 识别到${EVENT_TYPES[e.type]}（疑似明停暗开）`,
    hazardClause: hazardFor(b.rule, site.kind),
    attachments: [attachment(e)]
  })
}

/** settleActivity clears the site's condition once its status is no longer a suspended one. */
export function settleActivity (conds: Conditions, ctx: ModuleContext, b: Bound, site: Site, streaks: Streaks): void {
  const key = conditionKey(b.rule.id, site.code, SITE_SUBJECT)
  if (conds.levelOf(key) === null) return
  const statuses = (b.rule.statuses as SiteStatus[] | undefined) ?? SUSPENDED
  const status = ctx.registry.statusAt(site.code, ctx.now)
  if (status === undefined || statuses.includes(status)) return
  // the change took effect when the status in force now began
  const since = site.timeline.filter((c) => c.since <= ctx.now).at(-1)?.since ?? ctx.now
  streaks.delete(key)
  conds.set(ctx, key, b.ref, site.code, { level: null, value: null, limit: null, eventTs: since, message: `矿山状态已变更为 ${status}` })
}

/** TamperLog holds the recent tamper event times of each rule at each site (by `${ruleId}|${site}`), for the repeat count. */
export type TamperLog = Map<string, number[]>

/**
 * judgeTamper: a camera_tamper event raises the channel's fault; the repeat.count-th tamper event at the
 * site (counted per rule) within repeat.within moves it to repeat.level with the rule's hazard clause (关闭、破坏监测系统
 * candidate). It clears after clearAfter without tampering on that channel (expire).
 */
export function judgeTamper (conds: Conditions, ctx: ModuleContext, b: Bound, e: VideoEventRow, streaks: Streaks, log: TamperLog, kind: SiteKind): void {
  if (e.type !== 'camera_tamper' || !confident(b, e)) return
  const repeat = b.rule.repeat as { count: number, within: string, level: Level } | undefined
  const withinMs = repeat === undefined ? 0 : parseDuration(repeat.within, { bare: 'ms' })
  // per rule: two tamper rules (say, with different windows) must not count each other's events
  const logKey = `${b.rule.id}|${e.site}`
  const times = (log.get(logKey) ?? []).filter((t) => e.ts - t < withinMs)
  times.push(e.ts)
  log.set(logKey, times)
  const key = conditionKey(b.rule.id, e.site, `channel:${e.channel}`)
  const s = extend(streaks, key, b, e)
  const repeated = repeat !== undefined && times.length >= repeat.count
  conds.set(ctx, key, b.ref, e.site, {
    level: repeated ? repeat.level : (b.rule.level as Level | undefined) ?? 'yellow',
    value: times.length,
    limit: repeat?.count ?? null,
    eventTs: e.ts,
    startedAt: s.first,
    receivedAt: e.receivedAt,
    message: `视频通道 ${channelName(ctx, e.site, e.channel)} 识别到${EVENT_TYPES.camera_tamper}` +
      (repeated ? `，${formatMinutes(withinMs)}内第 ${times.length} 次（疑似关闭、破坏监控系统）` : ''),
    hazardClause: repeated ? hazardFor(b.rule, kind) : null,
    attachments: [attachment(e)]
  })
}
