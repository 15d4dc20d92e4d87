// The fields of the power module's three kinds: their JSON Schemas (for `rules:check`), their semantic
// checks, and reading them into typed settings with the defaults filled in.
import type { Level, SiteStatus } from '../../../contract/index.js'
import { parseDuration } from '../../../lib/duration.js'
import type { KindSchema } from '../../module.js'
import type { RuleDef } from '../../rule-file.js'
import type { Issue } from '../../issue.js'
import { DURATION, LEVEL, SITE_KINDS } from '../shared/schema.js'
import type { NightConfig } from './night.js'

const FRACTION = { type: 'number', exclusiveMinimum: 0, maximum: 10 }

/** KINDS are the module's rule kinds and the schemas of their own fields (hazardSiteKind: condition.ts). */
export const KINDS: Record<string, KindSchema> = {
  power_suspension: {
    required: ['for', 'level'],
    properties: {
      statuses: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['suspended', 'maintenance', 'closed'] } },
      equipment: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
      window: DURATION,
      for: DURATION,
      redAfter: DURATION,
      level: LEVEL,
      loadFraction: FRACTION,
      shareFraction: FRACTION,
      equipmentFloor: { type: 'number', minimum: 0, maximum: 1 },
      learnSpan: DURATION,
      minLearned: DURATION,
      ratedShare: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      night: {
        type: 'object',
        required: ['factor', 'nights'],
        additionalProperties: false,
        properties: {
          from: { type: 'integer', minimum: 0, maximum: 23 },
          to: { type: 'integer', minimum: 0, maximum: 23 },
          factor: { type: 'number', exclusiveMinimum: 1, maximum: 100 },
          nights: { type: 'integer', minimum: 1, maximum: 30 }
        }
      },
      hazardSiteKind: SITE_KINDS
    }
  },
  fan_power_conflict: {
    required: ['for'],
    properties: {
      for: DURATION,
      maxAge: DURATION,
      idleFraction: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      runningFraction: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      noPowerLevel: LEVEL,
      poweredLevel: LEVEL,
      hazardSiteKind: SITE_KINDS
    }
  },
  site_silent_producing: {
    required: ['silentFor', 'escalateAfter'],
    properties: { silentFor: DURATION, escalateAfter: DURATION, missedPeriods: { type: 'number', minimum: 1, maximum: 10000 }, level: LEVEL, hazardSiteKind: SITE_KINDS }
  }
}

/** SuspensionConfig is a power_suspension rule with its defaults. */
export interface SuspensionConfig {
  statuses: SiteStatus[]
  equipment: string[]
  windowMs: number
  forMs: number
  redAfterMs: number | null
  level: Level
  loadFraction: number
  shareFraction: number
  equipmentFloor: number
  learnSpanMs: number
  minLearnedMs: number
  ratedShare: number
  /** the night-peak criterion, off when absent */
  night: NightConfig | null
}

/** FanConfig is a fan_power_conflict rule with its defaults. */
export interface FanConfig {
  forMs: number
  maxAgeMs: number
  idleFraction: number
  runningFraction: number
  noPowerLevel: Level
  poweredLevel: Level
}

/** SilenceConfig is a site_silent_producing rule with its defaults. */
export interface SilenceConfig {
  silentForMs: number
  escalateAfterMs: number
  /** silentFor is at least this many periods of the site's fastest point (as connectivity.site.no_data) */
  missedPeriods: number
  level: Level
}

/** suspensionConfig reads a power_suspension rule (schema-valid) with its defaults. */
export function suspensionConfig (r: RuleDef): SuspensionConfig {
  const f = r as Record<string, unknown>
  return {
    statuses: (f.statuses as SiteStatus[] | undefined) ?? ['suspended', 'maintenance'],
    equipment: (f.equipment as string[] | undefined) ?? ['hoist'],
    windowMs: ms(f.window, '15m'),
    forMs: ms(f.for, '30m'),
    redAfterMs: f.redAfter === undefined ? null : ms(f.redAfter, '0s'),
    level: (f.level as Level | undefined) ?? 'orange',
    loadFraction: (f.loadFraction as number | undefined) ?? 0.6,
    shareFraction: (f.shareFraction as number | undefined) ?? 1,
    equipmentFloor: (f.equipmentFloor as number | undefined) ?? 0.2,
    learnSpanMs: ms(f.learnSpan, '24h'),
    minLearnedMs: ms(f.minLearned, '2h'),
    ratedShare: (f.ratedShare as number | undefined) ?? 0.5,
    night: f.night === undefined ? null : { from: 22, to: 6, ...(f.night as Partial<NightConfig> & Pick<NightConfig, 'factor' | 'nights'>) }
  }
}

/** fanConfig reads a fan_power_conflict rule (schema-valid) with its defaults. */
export function fanConfig (r: RuleDef): FanConfig {
  const f = r as Record<string, unknown>
  return {
    forMs: ms(f.for, '2m'),
    maxAgeMs: ms(f.maxAge, '3m'),
    idleFraction: (f.idleFraction as number | undefined) ?? 0.1,
    runningFraction: (f.runningFraction as number | undefined) ?? 0.3,
    noPowerLevel: (f.noPowerLevel as Level | undefined) ?? 'orange',
    poweredLevel: (f.poweredLevel as Level | undefined) ?? 'yellow'
  }
}

/** silenceConfig reads a site_silent_producing rule (schema-valid) with its defaults. */
export function silenceConfig (r: RuleDef): SilenceConfig {
  const f = r as Record<string, unknown>
  return { silentForMs: ms(f.silentFor, '5m'), escalateAfterMs: ms(f.escalateAfter, '1h'), missedPeriods: (f.missedPeriods as number | undefined) ?? 3, level: (f.level as Level | undefined) ?? 'red' }
}

function ms (v: unknown, fallback: string): number {
  return parseDuration(typeof v === 'string' ? v : fallback, { bare: 'ms' })
}

/** issues checks what the schemas cannot: the order of durations and fractions, and match filters. */
export function issues (rule: RuleDef, base: string): Issue[] {
  const out: Issue[] = []
  // the pairing and the site aggregates come from point attributes: only siteKind narrows these rules
  for (const k of Object.keys(rule.match ?? {})) {
    if (k !== 'siteKind') out.push({ path: `${base}/match/${k}`, message: `${rule.kind} rules take only match.siteKind (meters are found by attributes.equipment)`, atKey: true })
  }
  if (rule.kind === 'power_suspension') {
    const c = suspensionConfig(rule)
    if (c.forMs < c.windowMs) out.push({ path: `${base}/for`, message: `for (${String((rule as Record<string, unknown>).for)}) must be at least one window (${c.windowMs / 60_000} min)` })
    if (c.redAfterMs !== null && c.redAfterMs <= c.forMs) out.push({ path: `${base}/redAfter`, message: 'redAfter must be longer than for' })
    if (c.minLearnedMs > c.learnSpanMs) out.push({ path: `${base}/minLearned`, message: 'minLearned must not exceed learnSpan' })
    if (c.night !== null && c.night.from === c.night.to) out.push({ path: `${base}/night/to`, message: 'the night must not be empty (from equals to)' })
  }
  if (rule.kind === 'fan_power_conflict') {
    const c = fanConfig(rule)
    if (c.idleFraction >= c.runningFraction) out.push({ path: `${base}/idleFraction`, message: `idleFraction ${c.idleFraction} must be below runningFraction ${c.runningFraction}` })
  }
  if (rule.kind === 'site_silent_producing') {
    const c = silenceConfig(rule)
    if (c.escalateAfterMs <= c.silentForMs) out.push({ path: `${base}/escalateAfter`, message: 'escalateAfter must be longer than silentFor' })
  }
  return out
}
