// Conditions of the personnel and video modules: their level lives in the engine's shared state by key
// (env.states), so open alarms seeded at a restart are honoured and a recompile forgets nothing. A change
// is emitted only when the level moves, as the core kinds do.
import { levelRank, type Level, type SiteKind } from '../../../contract/index.js'
import { parseDuration } from '../../../lib/time.js'
import { newKeyState } from '../../compiled.js'
import type { CompileEnv } from '../../compile.js'
import type { ModuleContext } from '../../module.js'
import type { ModuleRuleSpec, RuleMeta } from '../../rule-file.js'
import type { Attachment, ConditionChange, RuleRef } from '../../types.js'

/** ModRule is a validated rule of a module's kind: its own fields are read by name. */
export type ModRule = ModuleRuleSpec & RuleMeta

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

/** levelOf is the level the condition `key` stands at (null: it does not hold). */
export function levelOf (env: CompileEnv, key: string): Level | null {
  return env.states.get(key)?.level ?? null
}

/** setCondition moves condition `key` to `o.level` and emits the change; false when the level was already that. */
export function setCondition (env: CompileEnv, ctx: ModuleContext, key: string, ref: RuleRef, site: string, o: Outcome): boolean {
  let s = env.states.get(key)
  if (s === undefined) env.states.set(key, s = newKeyState())
  s.lastTs = Math.max(s.lastTs, o.eventTs)
  if (s.level === o.level) return false
  s.level = o.level
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
  ctx.emit(c)
  return true
}

/** before tells whether ts is older than the last decision on `key`: such a fact cannot move it back in time. */
export function before (env: CompileEnv, key: string, ts: number): boolean {
  return ts < (env.states.get(key)?.lastTs ?? -Infinity)
}

/** openSubjects lists the subjects (the key's last part) of the open conditions of `ruleId` at `site`. */
export function openSubjects (env: CompileEnv, ruleId: string, site: string): string[] {
  const prefix = `${ruleId}|${site}|`
  const out: string[] = []
  for (const [key, s] of env.states) {
    if (s.level !== null && key.startsWith(prefix)) out.push(key.slice(prefix.length))
  }
  return out
}

/** higher tells whether level a ranks above b. */
export function higher (a: Level, b: Level): boolean {
  return levelRank(a) > levelRank(b)
}

/** hazardFor is the rule's hazard clause where it applies to a site of `kind` (hazardSiteKind), else null. */
export function hazardFor (rule: ModRule, kind: SiteKind): string | null {
  const kinds = rule.hazardSiteKind as SiteKind[] | undefined
  if (kinds !== undefined && !kinds.includes(kind)) return null
  return rule.hazardClause ?? null
}

/** ms reads a rule's duration field, or the default. */
export function ms (rule: ModRule, field: string, fallback: string): number {
  const v = rule[field]
  return parseDuration(typeof v === 'string' ? v : fallback)
}

/** formatMinutes renders a duration for the duty room: "8 小时 5 分", "12 分钟". */
export function formatMinutes (msValue: number): string {
  const min = Math.round(msValue / 60_000)
  const h = Math.floor(min / 60)
  const m = min % 60
  return h > 0 ? `${h} 小时${m > 0 ? ` ${m} 分` : ''}` : `${m} 分钟`
}

/** LEVEL_SCHEMA and DURATION_SCHEMA are schema fragments the module kinds share. */
export const LEVEL_SCHEMA = { $ref: 'https://minewatch.example/schemas/v1/common.json#/definitions/Level' }
export const DURATION_SCHEMA = { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)\\s*$' }
export const SITE_KINDS_SCHEMA = { type: 'array', minItems: 1, items: { $ref: 'https://minewatch.example/schemas/v1/common.json#/definitions/SiteKind' } }
