// Channel online state from heartbeats (section 5): a channel is offline when its last heartbeat said so,
// or when no heartbeat came for silentFor (default 3 min = 3 heartbeat periods of 60 s). A channel never
// heard from counts from the later of its definition and the engine start, like a point's no-data baseline,
// and counts as online until that silence is established (a restart must not report every camera offline).
// A silence that began with the site's own (a Hold, see holds.ts) is not judged while the site is silent,
// and is counted afresh from the site's return.
import type { Level } from '../../../contract/index.js'
import type { HeartbeatRow, Channel } from '../../../1-ingest/video/types.js'
import type { ModuleContext } from '../../module.js'
import { ms, type Bound, type Conditions } from '../shared/condition.js'
import { SITE_SUBJECT, conditionKey } from '../shared/keys.js'
import type { Hold, SiteHolds } from './holds.js'

/**
 * Heard is the last heartbeat state of one channel and since when that state has held. `gaps` are the
 * silences between heartbeats (the heartbeat that ended each, and its length), later ones shorter than
 * earlier ones (a later, longer gap makes an earlier one irrelevant): a channel back from a silence has been
 * online since the heartbeat that ended it, whatever silentFor a rule uses.
 */
export interface Heard { online: boolean, ts: number, since: number, gaps: Array<{ end: number, len: number }> }

/** ChannelStates holds the last heartbeat of each channel by `${site}|${channel}`. */
export type ChannelStates = Map<string, Heard>

/** recordHeartbeat keeps a heartbeat; false when it is not newer than the one kept. */
export function recordHeartbeat (h: HeartbeatRow, states: ChannelStates): boolean {
  const id = `${h.site}|${h.channel}`
  const prev = states.get(id)
  if (prev !== undefined && h.ts <= prev.ts) return false
  const gaps = prev?.gaps ?? []
  if (prev !== undefined) {
    const len = h.ts - prev.ts
    while (gaps.length > 0 && (gaps.at(-1) as { len: number }).len <= len) gaps.pop()
    gaps.push({ end: h.ts, len })
    // bounded: the oldest gap ended before every other one, so it matters least
    if (gaps.length > 16) gaps.shift()
  }
  states.set(id, { online: h.online, ts: h.ts, since: prev !== undefined && prev.online === h.online ? prev.since : h.ts, gaps })
  return true
}

/**
 * onlineAt tells whether a channel is online at time `now`, and since when that has been so. A silence
 * established after `hold` began (the site went silent first, or with it) and before it ended is held back:
 * the channel counts as its last heartbeat said, until silentMs after the hold ended.
 */
export function onlineAt (c: Channel, heard: Heard | undefined, now: number, silentMs: number, startTs: number, hold?: Hold): { online: boolean, since: number } {
  const last = heard?.ts ?? Math.max(c.definedAt, startTs)
  if ((heard === undefined || heard.online) && now - last > silentMs) {
    const since = last + silentMs
    const held = hold !== undefined && since >= hold.from && (hold.until === undefined || last < hold.until)
    if (!held) return { online: false, since }
    if (hold.until !== undefined && now - hold.until > silentMs) return { online: false, since: hold.until + silentMs }
  }
  if (heard === undefined) return { online: true, since: last }
  if (!heard.online) return { online: false, since: heard.since }
  let since = heard.since
  for (const g of heard.gaps) if (g.len > silentMs) since = Math.max(since, g.end)
  return { online: true, since }
}

const key = (b: Bound, site: string, channel: string): string => conditionKey(b.rule.id, site, `channel:${channel}`)

/** holdFor is the site silence that holds rule `b`'s silence back at `site` (suppressWhile), if any. */
export function holdFor (b: Bound, site: string, holds: SiteHolds): Hold | undefined {
  const ids = b.rule.suppressWhile as string[] | undefined
  return ids === undefined ? undefined : holds.of(site, ids)
}

/**
 * judgeHeartbeat decides a channel's offline condition from its heartbeat, at the heartbeat's time. A
 * heartbeat older than the condition's last change (one backfilled after a silence was established) is
 * kept for the channel state but decides nothing: a clear dated before its raise would make a negative
 * alarm duration, and the silence was established from what was known then. The next one not older clears.
 */
export function judgeHeartbeat (conds: Conditions, ctx: ModuleContext, b: Bound, h: HeartbeatRow): boolean {
  const k = key(b, h.site, h.channel)
  if (conds.before(k, h.ts)) return false
  const name = ctx.channels.channel(h.site, h.channel)?.name ?? h.channel
  const level = h.online ? null : (b.rule.level as Level | undefined) ?? 'yellow'
  conds.set(ctx, k, b.ref, h.site, {
    level, value: h.online ? 1 : 0, limit: null, eventTs: h.ts, receivedAt: h.receivedAt, message: `视频通道 ${h.channel}（${name}）${h.online ? '恢复在线' : '离线'}`
  })
  return true
}

/** checkSilence raises the offline condition of channels silent for silentFor, and clears (and forgets) channels removed. */
export function checkSilence (conds: Conditions, ctx: ModuleContext, b: Bound, site: string, states: ChannelStates, holds: SiteHolds): void {
  const silentMs = ms(b.rule, 'silentFor', '3m')
  const hold = holdFor(b, site, holds)
  const channels = ctx.channels.channelsOf(site)
  for (const c of channels) {
    const k = key(b, site, c.code)
    if (conds.levelOf(k) !== null) continue
    const heard = states.get(`${site}|${c.code}`)
    const s = onlineAt(c, heard, ctx.now, silentMs, conds.env.startTs, hold)
    if (s.online) continue
    conds.set(ctx, k, b.ref, site, {
      level: (b.rule.level as Level | undefined) ?? 'yellow', value: 0, limit: null, eventTs: s.since, message: `视频通道 ${c.code}（${c.name}）超过 ${silentMs / 60_000} 分钟无心跳`
    })
  }
  const listed = new Set(channels.map((c) => `channel:${c.code}`))
  for (const subject of conds.known(b.rule.id, site)) {
    if (listed.has(subject)) continue
    conds.set(ctx, conditionKey(b.rule.id, site, subject), b.ref, site, { level: null, value: null, limit: null, eventTs: ctx.now, message: `视频通道 ${subject.slice('channel:'.length)} 已从通道列表删除` })
    conds.forget(b.rule.id, site, subject)
  }
}

/** checkRate judges a site's channel online rate at the check's time; value and limit are percentages. */
export function checkRate (conds: Conditions, ctx: ModuleContext, b: Bound, site: string, states: ChannelStates, holds: SiteHolds): void {
  const channels = ctx.channels.channelsOf(site)
  const k = conditionKey(b.rule.id, site, SITE_SUBJECT)
  if (channels.length === 0) {
    if (conds.levelOf(k) !== null) conds.set(ctx, k, b.ref, site, { level: null, value: null, limit: null, eventTs: ctx.now, message: '无视频通道' })
    return
  }
  const silentMs = ms(b.rule, 'silentFor', '3m')
  const min = typeof b.rule.minPercent === 'number' ? b.rule.minPercent : 90
  const hold = holdFor(b, site, holds)
  let online = 0
  let unheard = 0
  let since = -Infinity
  for (const c of channels) {
    const heard = states.get(`${site}|${c.code}`)
    const s = onlineAt(c, heard, ctx.now, silentMs, conds.env.startTs, hold)
    if (s.online) online++
    if (s.online && heard === undefined) unheard++
    since = Math.max(since, s.since)
  }
  const rate = Math.round(online / channels.length * 1000) / 10
  const low = rate < min
  // channels not heard from yet count as online, which may raise nothing but must not clear an alarm
  // restored open at a restart before they have reported
  if (!low && unheard > 0 && conds.levelOf(k) !== null) return
  // the time the channel states became what they are now: the latest change among them, but never before
  // the condition's last change (a backfill can show the channels online since before the raise)
  conds.set(ctx, k, b.ref, site, {
    level: low ? (b.rule.level as Level | undefined) ?? 'yellow' : null,
    value: rate,
    limit: min,
    eventTs: Math.min(Math.max(since, conds.lastTs(k)), ctx.now),
    message: `视频在线率 ${rate}%（${online}/${channels.length}）${low ? '<' : '≥'} ${min}%`
  })
}
