// Conditions judged on inputs rather than on one point's readings (personnel, video): their level lives in
// the engine's shared state by key (env.states), so open alarms seeded at a restart are honoured and a
// recompile forgets nothing. A change is emitted only when the level moves, as the core kinds do.
//
// Conditions also indexes its keys by rule and site: a rule judging a snapshot or a channel list must find
// the open conditions of one site without walking the state of every rule of every site. A state is made
// only when a level is set (a card that never raised anything costs nothing), and a subject that is gone
// (a card no longer underground, a channel removed) is forgotten once its condition is closed.
import { levelRank, type Level, type SiteKind } from '../../../contract/index.js'
import { parseDuration } from '../../../lib/duration.js'
import type { KeyState } from '../../compiled.js'
import type { CompileEnv } from '../../compile.js'
import type { ModuleContext } from '../../module.js'
import { ruleRef } from '../../compile.js'
import type { ModuleRuleSpec, RuleDef, RuleMeta } from '../../rule-file.js'
import type { Attachment, ConditionChange, RuleRef } from '../../types.js'
import { SITE_SUBJECT, conditionKey, splitKey } from './keys.js'
import { stateOf } from './state.js'

/** ModRule is a validated rule of a module's kind: its own fields are read by name. */
export type ModRule = ModuleRuleSpec & RuleMeta

/** Bound is a rule of a module with the reference every change carries. */
export interface Bound { rule: ModRule, ref: RuleRef }

/** boundByKind groups a module's rules by kind, each with the reference its changes carry. */
export function boundByKind (rules: readonly RuleDef[]): Map<string, Bound[]> {
  const byKind = new Map<string, Bound[]>()
  for (const rule of rules) {
    const list = byKind.get(rule.kind) ?? []
    list.push({ rule: rule as ModRule, ref: ruleRef(rule) })
    byKind.set(rule.kind, list)
  }
  return byKind
}

/** Outcome is what an evaluation decided about one condition. */
export interface Outcome {
  level: Level | null
  value: number | null
  limit: number | null
  eventTs: number
  message: string
  startedAt?: number
  receivedAt?: number
  points?: string[]
  /** the hazard clause of this change (default: the rule's) — a clause may hold at one level only */
  hazardClause?: string | null
  attachments?: Attachment[]
}

/** Conditions are the condition states of one module instance, indexed by rule and site. */
export class Conditions {
  /** ruleId → site → subjects that have a state */
  private readonly index = new Map<string, Map<string, Set<string>>>()

  constructor (readonly env: CompileEnv) {}

  /** rebind re-reads the index from the engine's state (seeded alarms included), for these rule ids only */
  rebind (ruleIds: Iterable<string>): void {
    this.index.clear()
    for (const id of ruleIds) this.index.set(id, new Map())
    if (this.index.size === 0) return
    for (const key of this.env.states.keys()) {
      const k = splitKey(key)
      if (this.index.has(k.ruleId)) this.note(k.ruleId, k.site, k.subject)
    }
  }

  /** levelOf is the level condition `key` stands at (null: it does not hold) */
  levelOf (key: string): Level | null {
    return this.env.states.get(key)?.level ?? null
  }

  /** lastTs is the event time of the last decision on `key` (-Infinity: none) */
  lastTs (key: string): number {
    return this.env.states.get(key)?.lastTs ?? -Infinity
  }

  /** before tells whether ts is older than the last decision on `key`: such a fact cannot move it back in time */
  before (key: string, ts: number): boolean {
    return ts < this.lastTs(key)
  }

  /**
   * set moves condition `key` to `o.level` and emits the change; false when the level was already that.
   * Clearing a condition that has no state creates none, except a site-wide one: its last decision's time
   * keeps facts from two streams (a snapshot, a fan reading) in order, and there is one per rule and site.
   */
  set (ctx: ModuleContext, key: string, ref: RuleRef, site: string, o: Outcome): boolean {
    let s: KeyState | undefined = this.env.states.get(key)
    const k = splitKey(key)
    if (s === undefined) {
      if (o.level === null && k.subject !== SITE_SUBJECT) return false
      s = stateOf(this.env, key)
    }
    this.note(k.ruleId, k.site, k.subject)
    s.lastTs = Math.max(s.lastTs, o.eventTs)
    if (s.level === o.level) return false
    s.level = o.level
    ctx.emit(change(ctx, key, ref, site, o))
    return true
  }

  /** open lists the subjects of the open conditions of `ruleId` at `site` */
  open (ruleId: string, site: string): string[] {
    return this.known(ruleId, site).filter((subject) => this.levelOf(conditionKey(ruleId, site, subject)) !== null)
  }

  /** known lists the subjects of `ruleId` at `site` that have a state (open, or closed and remembered) */
  known (ruleId: string, site: string): string[] {
    const subjects = this.index.get(ruleId)?.get(site)
    if (subjects === undefined) return []
    const out: string[] = []
    for (const subject of subjects) {
      // the engine drops closed states nobody uses at a recompile: forget those here too
      if (this.env.states.has(conditionKey(ruleId, site, subject))) out.push(subject)
      else subjects.delete(subject)
    }
    return out
  }

  /** sites lists the sites where `ruleId` has a state */
  sites (ruleId: string): string[] {
    return [...this.index.get(ruleId)?.keys() ?? []]
  }

  /** track indexes a key whose state the module keeps itself (stateOf) */
  track (key: string): void {
    const k = splitKey(key)
    this.note(k.ruleId, k.site, k.subject)
  }

  /** forget drops the state of a closed condition whose subject is gone; an open one is kept */
  forget (ruleId: string, site: string, subject: string): void {
    const key = conditionKey(ruleId, site, subject)
    if (this.levelOf(key) !== null) return
    this.env.states.delete(key)
    this.index.get(ruleId)?.get(site)?.delete(subject)
  }

  private note (ruleId: string, site: string, subject: string): void {
    let bySite = this.index.get(ruleId)
    if (bySite === undefined) this.index.set(ruleId, bySite = new Map())
    let subjects = bySite.get(site)
    if (subjects === undefined) bySite.set(site, subjects = new Set())
    subjects.add(subject)
  }
}

function change (ctx: ModuleContext, key: string, ref: RuleRef, site: string, o: Outcome): ConditionChange {
  const c: ConditionChange = {
    type: 'condition',
    key,
    rule: o.hazardClause === undefined ? ref : { ...ref, hazardClause: o.hazardClause },
    siteCode: site,
    points: o.points ?? [],
    level: o.level,
    value: o.value,
    limit: o.limit,
    eventTs: o.eventTs,
    late: ctx.now - o.eventTs > ctx.lateAfterMs,
    message: o.message
  }
  if (o.startedAt !== undefined && o.level !== null) c.startedAt = o.startedAt
  if (o.receivedAt !== undefined) c.receivedAt = o.receivedAt
  if (o.attachments !== undefined) c.attachments = o.attachments
  return c
}

/** higher tells whether level a ranks above b. */
export function higher (a: Level, b: Level): boolean {
  return levelRank(a) > levelRank(b)
}

/** hazardFor is the rule's hazard clause where it applies to a site of `kind` (hazardSiteKind), else null. */
export function hazardFor (rule: { hazardClause?: string | null }, kind: SiteKind): string | null {
  const kinds = (rule as Record<string, unknown>).hazardSiteKind as SiteKind[] | undefined
  if (kinds !== undefined && !kinds.includes(kind)) return null
  return rule.hazardClause ?? null
}

/** ms reads a rule's duration field, or the default. */
export function ms (rule: object, field: string, fallback: string): number {
  const v = (rule as Record<string, unknown>)[field]
  return parseDuration(typeof v === 'string' ? v : fallback, { bare: 'ms' })
}

/** formatMinutes renders a duration for the duty room: "8 小时 5 分", "12 分钟". */
export function formatMinutes (msValue: number): string {
  const min = Math.round(msValue / 60_000)
  const h = Math.floor(min / 60)
  const m = min % 60
  return h > 0 ? `${h} 小时${m > 0 ? ` ${m} 分` : ''}` : `${m} 分钟`
}
