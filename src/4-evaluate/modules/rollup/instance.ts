// A roll-up instance: it remembers every open condition the other kinds and modules report (by key),
// and on each change re-counts the group the changed member belongs to. The remembered conditions and
// the group levels (env.states, by key) live as long as the engine, so a rule reload or a registry
// change only marks the rules for a recount at the next periodic check; at a restart, conditions seeded
// from open alarms are read back from env.states when the rules are bound.
import { LEVEL_ZH, levelRank, type Level } from '../../../contract/index.js'
import type { RegistryView, Site } from '../../../registry/types.js'
import { conditionChange } from '../../change.js'
import { ruleRef } from '../../compile.js'
import type { KeyState } from '../../compiled.js'
import { pointMatches, siteMatches } from '../../match.js'
import { siteHead } from '../../messages.js'
import type { ModuleContext, ModuleEnv, RuleModuleInstance } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { ConditionChange } from '../../types.js'
import { Conditions } from '../shared/condition.js'
import { guarded } from '../shared/guard.js'
import { conditionKey, splitKey } from '../shared/keys.js'
import { stateOf } from '../shared/state.js'
import { hasPointFilter, rollUp, sourceMatcher, type RollupRule } from './spec.js'

/** Open is an open condition of another rule: where it is, what it is about, at which level. */
interface Open { ruleId: string, subject: string, level: Level }

interface Bound { rule: RollupRule, sources: (ruleId: string) => boolean }

/** Trigger is what a recount is dated with: the change that caused it, or the periodic check. */
interface Trigger { eventTs: number, late: boolean }

// own changes are fed back in, so a site roll-up sees the item roll-ups; a cycle of roll-ups that keep
// changing each other stops here instead of overflowing the stack
const MAX_DEPTH = 8

/** createRollup creates the instance of one engine. */
export function createRollup ({ env, log }: ModuleEnv): RuleModuleInstance {
  /** open conditions of other rules, by site then condition key */
  const open = new Map<string, Map<string, Open>>()
  let bound: Bound[] = []
  let dirty = false
  // the groups of this module's own rules that have a state, by rule and site
  const groups = new Conditions(env)

  function note (key: string, ruleId: string, site: string, level: Level | null): void {
    let bySite = open.get(site)
    if (level === null) {
      bySite?.delete(key)
      return
    }
    if (bySite === undefined) open.set(site, bySite = new Map())
    bySite.set(key, { ruleId, subject: splitKey(key).subject, level })
  }

  // the group a member belongs to: its point's item, or the whole site
  function groupOf (b: Bound, site: string, subject: string, registry: RegistryView): string | undefined {
    const point = registry.point(site, subject)
    if (b.rule.groupBy === 'site') {
      if (point === undefined) return b.rule.match === undefined || !hasPointFilter(b.rule.match) ? '*' : undefined
      return pointMatches(b.rule.match, point) ? '*' : undefined
    }
    if (point?.item === undefined || !pointMatches(b.rule.match, point)) return undefined
    return `item:${point.item}`
  }

  function recount (b: Bound, site: Site, group: string, trigger: Trigger, ctx: ModuleContext, depth: number): void {
    const key = conditionKey(b.rule.id, site.code, group)
    const out: { change: ConditionChange | null } = { change: null }
    guarded(env.health.get(b.rule), ctx, () => {
      const members = new Map<string, Level>()
      for (const o of open.get(site.code)?.values() ?? []) {
        if (!b.sources(o.ruleId) || groupOf(b, site.code, o.subject, ctx.registry) !== group) continue
        const had = members.get(o.subject)
        if (had === undefined || levelRank(o.level) > levelRank(had)) members.set(o.subject, o.level)
      }
      const counts: Record<Level, number> = { blue: 0, yellow: 0, orange: 0, red: 0 }
      for (const l of members.values()) counts[l]++
      const { level } = rollUp(counts, b.rule.steps)
      out.change = decide(b.rule, site, group, groupState(key), level, counts, members.size, trigger)
    })
    const change = out.change
    if (change === null) return
    ctx.emit(change)
    handle(change, ctx, depth + 1)
  }

  function groupState (key: string): KeyState {
    const s = stateOf(env, key)
    groups.track(key)
    return s
  }

  function handle (c: ConditionChange, ctx: ModuleContext, depth: number): void {
    note(c.key, c.rule.ruleId, c.siteCode, c.level)
    if (depth > MAX_DEPTH) {
      log.warn({ key: c.key, depth }, 'roll-up changes keep triggering each other: stopped')
      return
    }
    const { subject } = splitKey(c.key)
    const site = ctx.registry.site(c.siteCode)
    if (site === undefined) return
    for (const b of bound) {
      if (!b.sources(c.rule.ruleId) || !siteMatches(b.rule.match, site)) continue
      const group = groupOf(b, site.code, subject, ctx.registry)
      if (group !== undefined) recount(b, site, group, c, ctx, depth)
    }
  }

  // after a reload or a registry change: every group that has members or stands open is counted again
  function recountAll (ctx: ModuleContext): void {
    dirty = false
    const trigger = { eventTs: ctx.now, late: false }
    for (const b of bound) {
      for (const site of ctx.registry.sites()) {
        if (!siteMatches(b.rule.match, site)) continue
        const members = new Set<string>()
        for (const o of open.get(site.code)?.values() ?? []) {
          const g = b.sources(o.ruleId) ? groupOf(b, site.code, o.subject, ctx.registry) : undefined
          if (g !== undefined) members.add(g)
        }
        for (const g of groups.open(b.rule.id, site.code)) members.add(g)
        for (const g of members) recount(b, site, g, trigger, ctx, 0)
      }
    }
  }

  return {
    bind (rules) {
      bound = rules.map((r) => ({ rule: r as RollupRule, sources: sourceMatcher(r as RollupRule) }))
      // conditions restored from open alarms at a restart reach the engine's state, not this module:
      // read them back (a change seen since is already noted and wins); one pass over the state
      const own = new Set(bound.map((b) => b.rule.id))
      const keys: string[] = []
      groups.rebind([])
      for (const [key, s] of env.states) {
        const { ruleId, site } = splitKey(key)
        if (own.has(ruleId)) {
          keys.push(key)
          groups.track(key)
        }
        if (s.level !== null && open.get(site)?.has(key) !== true) note(key, ruleId, site, s.level)
      }
      dirty = true
      return keys
    },
    change (c, ctx) { handle(c, ctx, 0) },
    check (ctx) { if (dirty) recountAll(ctx) }
  }
}

// A group changes level only when its count says so; the state is the engine's, so a seeded alarm is known.
function decide (rule: RuleDef, site: Site, group: string, s: KeyState, level: Level | null, counts: Record<Level, number>, members: number, t: Trigger): ConditionChange | null {
  if (level === s.level) return null
  s.level = level
  const key = conditionKey(rule.id, site.code, group)
  const what = group === '*' ? siteHead(site) : `${siteHead(site)}${group.slice('item:'.length)} `
  const tally = (['red', 'orange', 'yellow', 'blue'] as const).filter((l) => counts[l] > 0).map((l) => `${LEVEL_ZH[l]} ${counts[l]}`).join('、')
  const message = level === null ? `${what}${rule.title}已解除` : `${what}${rule.title}：${tally}，${LEVEL_ZH[level]}`
  return conditionChange({ key, ref: ruleRef(rule), site }, undefined, { level, value: members, limit: null, eventTs: t.eventTs, late: t.late, message })
}
