// One engine's video module: channel states from heartbeats, runs of AI events, the tamper log; heartbeats
// and events are judged as they come, silence, online rate and quiet periods on the periodic check.
import { ruleRef } from '../../compile.js'
import { recordFailure, recordSuccess } from '../../health.js'
import { siteMatches } from '../../match.js'
import type { ModuleContext, ModuleEnv, RuleModuleInstance } from '../../module.js'
import type { ModRule } from '../personnel/condition.js'
import type { Bound } from '../personnel/headcount.js'
import { judgeActivity, judgeTamper, settleActivity, type TamperLog } from './activity.js'
import { checkRate, checkSilence, judgeHeartbeat, recordHeartbeat, type ChannelStates } from './channels.js'
import { expire, judgeEvent, type Streaks } from './events.js'
import { VIDEO_KINDS as K } from './schema.js'

/** createVideo creates the module's instance for one engine. */
export function createVideo ({ env: state, log }: ModuleEnv): RuleModuleInstance {
  let byKind = new Map<string, Bound[]>()
  const channels: ChannelStates = new Map()
  const streaks: Streaks = new Map()
  const tampers: TamperLog = new Map()

  function run (b: Bound, ctx: ModuleContext, fn: () => void): void {
    const h = state.health.get(b.rule)
    try {
      fn()
      recordSuccess(h)
    } catch (err) {
      recordFailure(h, err, ctx.now)
      log.warn({ err, ruleId: b.rule.id }, 'video rule failed')
    }
  }
  const rulesOf = (kind: string): Bound[] => byKind.get(kind) ?? []

  return {
    bind (rules) {
      byKind = new Map()
      for (const rule of rules) {
        const list = byKind.get(rule.kind) ?? []
        list.push({ rule: rule as ModRule, ref: ruleRef(rule) })
        byKind.set(rule.kind, list)
      }
      // an AI condition restored open at a restart has no run yet: it expires clearAfter after its last change
      for (const b of [...rulesOf(K.event), ...rulesOf(K.tamper), ...rulesOf(K.suspension)]) {
        for (const [key, s] of state.states) {
          if (s.level === null || !key.startsWith(`${b.rule.id}|`) || streaks.has(key)) continue
          streaks.set(key, { site: key.split('|')[1] as string, first: s.lastTs, last: s.lastTs, bound: b })
        }
      }
      return []
    },
    input (i, ctx) {
      if (i.type === 'video_heartbeat') {
        if (!recordHeartbeat(i.heartbeat, channels)) return
        const site = ctx.registry.site(i.heartbeat.site)
        if (site === undefined) return
        for (const b of rulesOf(K.offline)) if (siteMatches(b.rule.match, site)) run(b, ctx, () => judgeHeartbeat(state, ctx, b, i.heartbeat))
      } else if (i.type === 'video_event') {
        const e = i.event
        const site = ctx.registry.site(e.site)
        if (site === undefined) return
        for (const b of rulesOf(K.event)) if (siteMatches(b.rule.match, site)) run(b, ctx, () => judgeEvent(state, ctx, b, e, streaks, site.kind))
        for (const b of rulesOf(K.suspension)) if (siteMatches(b.rule.match, site)) run(b, ctx, () => judgeActivity(state, ctx, b, e, streaks, site))
        for (const b of rulesOf(K.tamper)) if (siteMatches(b.rule.match, site)) run(b, ctx, () => judgeTamper(state, ctx, b, e, streaks, tampers, site.kind))
      }
    },
    check (ctx) {
      const offline = rulesOf(K.offline)
      const rate = rulesOf(K.rate)
      const activity = rulesOf(K.suspension)
      if (offline.length + rate.length + activity.length > 0) {
        for (const site of ctx.registry.sites()) {
          for (const b of offline) if (siteMatches(b.rule.match, site)) run(b, ctx, () => checkSilence(state, ctx, b, site.code, channels))
          for (const b of rate) if (siteMatches(b.rule.match, site)) run(b, ctx, () => checkRate(state, ctx, b, site.code, channels))
          for (const b of activity) if (siteMatches(b.rule.match, site)) run(b, ctx, () => settleActivity(state, ctx, b, site, streaks))
        }
      }
      try {
        expire(state, ctx, streaks)
      } catch (err) {
        log.warn({ err }, 'video quiet-period check failed')
      }
    }
  }
}
