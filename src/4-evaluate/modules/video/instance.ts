// One engine's video module: channel states from heartbeats, runs of AI events, the tamper log; heartbeats
// and events are judged as they come, silence, online rate and quiet periods on the periodic check.
import { siteMatches } from '../../match.js'
import type { ModuleContext, ModuleEnv, RuleModuleInstance } from '../../module.js'
import { Conditions, boundByKind, type Bound, type ModRule } from '../shared/condition.js'
import { guarded } from '../shared/guard.js'
import { conditionKey } from '../shared/keys.js'
import { judgeActivity, judgeTamper, settleActivity, type TamperLog } from './activity.js'
import { checkRate, checkSilence, judgeHeartbeat, recordHeartbeat, type ChannelStates } from './channels.js'
import { SiteClocks, expire, judgeEvent, type Streaks } from './events.js'
import { SiteHolds } from './holds.js'
import { VIDEO_KINDS as K } from './schema.js'

/** createVideo creates the module's instance for one engine. */
export function createVideo ({ env: state, log }: ModuleEnv): RuleModuleInstance {
  let byKind = new Map<string, Bound[]>()
  const conds = new Conditions(state)
  const channels: ChannelStates = new Map()
  const streaks: Streaks = new Map()
  const tampers: TamperLog = new Map()
  const clocks = new SiteClocks()
  const holds = new SiteHolds()

  function run (b: Bound, ctx: ModuleContext, fn: () => void): void {
    guarded(state.health.get(b.rule), ctx, fn, { onError: (err) => log.warn({ err, ruleId: b.rule.id }, 'video rule failed') })
  }
  const rulesOf = (kind: string): Bound[] => byKind.get(kind) ?? []

  return {
    bind (rules) {
      byKind = boundByKind(rules)
      conds.rebind(rules.map((r) => r.id))
      holds.watch(rules.flatMap((r) => (r as ModRule).suppressWhile as string[] | undefined ?? []), state)
      // an AI condition restored open at a restart has no run yet: it expires clearAfter after its last change
      for (const b of [...rulesOf(K.event), ...rulesOf(K.tamper), ...rulesOf(K.suspension)]) {
        for (const site of conds.sites(b.rule.id)) {
          for (const subject of conds.open(b.rule.id, site)) {
            const key = conditionKey(b.rule.id, site, subject)
            if (streaks.has(key)) continue
            const last = conds.lastTs(key)
            streaks.set(key, { site, first: last, last, bound: b })
          }
        }
      }
      return []
    },
    change (c, ctx) {
      holds.change(c, ctx.now)
    },
    input (i, ctx) {
      if (i.type === 'video_heartbeat') {
        if (!recordHeartbeat(i.heartbeat, channels)) return
        const site = ctx.registry.site(i.heartbeat.site)
        if (site === undefined) return
        for (const b of rulesOf(K.offline)) if (siteMatches(b.rule.match, site)) run(b, ctx, () => judgeHeartbeat(conds, ctx, b, i.heartbeat))
      } else if (i.type === 'video_event') {
        const e = i.event
        const site = ctx.registry.site(e.site)
        if (site === undefined) return
        clocks.observe(e.site, e.ts, ctx.now)
        for (const b of rulesOf(K.event)) if (siteMatches(b.rule.match, site)) run(b, ctx, () => judgeEvent(conds, ctx, b, e, streaks, site.kind))
        for (const b of rulesOf(K.suspension)) if (siteMatches(b.rule.match, site)) run(b, ctx, () => judgeActivity(conds, ctx, b, e, streaks, site))
        for (const b of rulesOf(K.tamper)) if (siteMatches(b.rule.match, site)) run(b, ctx, () => judgeTamper(conds, ctx, b, e, streaks, tampers, site.kind))
      }
    },
    check (ctx) {
      const offline = rulesOf(K.offline)
      const rate = rulesOf(K.rate)
      const activity = rulesOf(K.suspension)
      if (offline.length + rate.length + activity.length > 0) {
        for (const site of ctx.registry.sites()) {
          for (const b of offline) if (siteMatches(b.rule.match, site)) run(b, ctx, () => checkSilence(conds, ctx, b, site.code, channels, holds))
          for (const b of rate) if (siteMatches(b.rule.match, site)) run(b, ctx, () => checkRate(conds, ctx, b, site.code, channels, holds))
          for (const b of activity) if (siteMatches(b.rule.match, site)) run(b, ctx, () => settleActivity(conds, ctx, b, site, streaks))
        }
      }
      try {
        expire(conds, ctx, streaks, clocks)
      } catch (err) {
        log.warn({ err }, 'video quiet-period check failed')
      }
    }
  }
}
