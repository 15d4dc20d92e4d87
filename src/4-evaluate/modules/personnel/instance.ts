// One engine's personnel module: binds the rules, keeps the latest snapshot of each site and the last
// reading of each watched fan, and hands every snapshot, SOS and fan reading to the rules it concerns.
import type { Point, Site } from '../../../registry/types.js'
import { pointMatches, siteMatches } from '../../match.js'
import type { ModuleContext, ModuleEnv, RuleModuleInstance } from '../../module.js'
import { Conditions, boundByKind, type Bound, type ModRule } from '../shared/condition.js'
import { guarded } from '../shared/guard.js'
import { PointIndex } from '../shared/point-index.js'
import { judgeNoLeader, judgeSuspension } from './crew.js'
import { judgeOvertime, judgeRestricted } from './cards.js'
import { judgeFan, recordFan, type FanRule, type FanStates } from './fan.js'
import { judgeAreas, judgeMine } from './headcount.js'
import { Positions, type Judge, type Step } from './positioning.js'
import { PERSONNEL_KINDS as K } from './schema.js'
import { raiseSos, settleSos, type SosState } from './sos.js'

type SnapshotJudge = (j: Judge, b: Bound, step: Step) => void

// the snapshot rules in the order they run; the SOS and fan rules are handled on their own below
const ON_SNAPSHOT: ReadonlyArray<[string, SnapshotJudge]> = [
  [K.mine, judgeMine], [K.area, judgeAreas], [K.overtime, judgeOvertime], [K.restricted, judgeRestricted],
  [K.leader, judgeNoLeader], [K.suspension, judgeSuspension]
]

/** createPersonnel creates the module's instance for one engine. */
export function createPersonnel ({ env: state, log }: ModuleEnv): RuleModuleInstance {
  let byKind = new Map<string, Bound[]>()
  let fanRules: FanRule[] = []
  // the watched fan points of every site (the value is unused: membership is the point)
  let watched = new PointIndex<true>()
  const conds = new Conditions(state)
  const positions = new Positions()
  const fanStates: FanStates = new PointIndex()
  const pending = new Map<string, number>()
  const absent: SosState = new Map()

  // one rule's failure is recorded in its health and stops nothing else
  function run (b: Bound, ctx: ModuleContext, fn: () => void): void {
    guarded(state.health.get(b.rule), ctx, fn, { onError: (err) => log.warn({ err, ruleId: b.rule.id }, 'personnel rule failed') })
  }

  function onSnapshot (step: Step, ctx: ModuleContext): void {
    const j: Judge = { conds, ctx, pending }
    for (const [kind, judge] of ON_SNAPSHOT) {
      for (const b of byKind.get(kind) ?? []) if (siteMatches(b.rule.match, step.site)) run(b, ctx, () => judge(j, b, step))
    }
    for (const b of byKind.get(K.sos) ?? []) if (siteMatches(b.rule.match, step.site)) run(b, ctx, () => settleSos(j, b, step, absent))
    for (const b of fanRules) run(b, ctx, () => judgeFan(j, b, step.site, step.snap.ts, step.receivedAt, fanStates, positions))
  }

  function onFans (site: Site, ts: number, receivedAt: number, ctx: ModuleContext): void {
    const j: Judge = { conds, ctx, pending }
    for (const b of fanRules) run(b, ctx, () => judgeFan(j, b, site, ts, receivedAt, fanStates, positions))
  }

  return {
    bind (rules, registry) {
      byKind = boundByKind(rules)
      conds.rebind(rules.map((r) => r.id))
      fanRules = (byKind.get(K.fan) ?? []).map((b) => ({ ...b, fans: fansOf(b.rule, registry.sites(), (s) => registry.pointsOf(s)) }))
      watched = new PointIndex()
      for (const b of fanRules) for (const [site, points] of b.fans) for (const p of points) watched.set(site, p.code, true)
      return []
    },
    input (i, ctx) {
      if (i.type === 'personnel') {
        const site = ctx.registry.site(i.snapshot.site)
        const step = site === undefined ? null : positions.accept(site, i.snapshot, i.receivedAt)
        if (step !== null) onSnapshot(step, ctx)
      } else if (i.type === 'sos') {
        const site = ctx.registry.site(i.event.site)
        if (site === undefined) return
        const j: Judge = { conds, ctx, pending }
        for (const b of byKind.get(K.sos) ?? []) if (siteMatches(b.rule.match, site)) run(b, ctx, () => raiseSos(j, b, site, i.event, absent))
      }
    },
    readings (rows, ctx) {
      if (watched.empty) return
      // fans of one site are judged together at each instant, so two fans read at the same time are one fact
      let ts = NaN
      const touched = new Map<string, number>()
      const flush = (): void => {
        for (const [code, receivedAt] of touched) {
          const site = ctx.registry.site(code)
          if (site !== undefined) onFans(site, ts, receivedAt, ctx)
        }
        touched.clear()
      }
      let site: string | undefined
      let fans: ReadonlyMap<string, true> | undefined
      for (const r of rows) {
        if (r.ts !== ts) { flush(); ts = r.ts }
        if (r.site !== site) fans = watched.site(site = r.site)
        if (fans?.has(r.point) === true && recordFan(r, fanStates)) touched.set(r.site, r.receivedAt)
      }
      flush()
    }
  }
}

function fansOf (rule: ModRule, sites: readonly Site[], pointsOf: (site: string) => Point[]): Map<string, Point[]> {
  const out = new Map<string, Point[]>()
  for (const site of sites) {
    if (!siteMatches(rule.match, site)) continue
    const fans = pointsOf(site.code).filter((p) => pointMatches(rule.match, p))
    if (fans.length > 0) out.set(site.code, fans)
  }
  return out
}
