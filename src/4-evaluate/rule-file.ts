// The rule file format (rules/*.yaml|json), written by hand to mirror rule-file.schema.json and the kinds'
// schemas of the rule modules (src/4-evaluate/modules). A file holds named groups of rules. The per-point kinds
// are typed here; the other kinds' modules read their own fields with their own types. Thresholds are in
// the point's unit and are defaults: a point's `limits` (access standard section 2) override them, see
// effective-levels.ts.
import type { Category, Level, Quantity, SiteKind } from '../contract/index.js'

/** CoreKind names the three per-point kinds, typed in this file: thresholds, silence, status bits. */
export type CoreKind = 'threshold' | 'no_data' | 'device_status'

/** RuleKind is the kind of a rule module (src/4-evaluate/modules); the core kinds are named for completion. */
export type RuleKind = CoreKind | (string & {})

/** Direction says which side of the thresholds is dangerous: above (upper) or below (lower). */
export type Direction = 'upper' | 'lower'

/** RuleMatch narrows the points a rule applies to; every filter present must hold (absent = any). */
export interface RuleMatch {
  quantity?: Quantity[]
  siteKind?: SiteKind[]
  /** the point's unit, so a rule written in ppm never judges a point that reports mg/m³ */
  unit?: string[]
  item?: string[]
  area?: string[]
  /** point codes */
  points?: string[]
  /** each key must hold for the point's attribute of that name: a value (equal), a list (one of), null (absent), {not: list} */
  attributes?: Record<string, AttributeMatch>
}

/** AttributeMatch is what one attribute must be: a value, one of a list, absent (null), or none of a list. */
export type AttributeMatch = AttributeValue | null | Array<AttributeValue | null> | { not: Array<AttributeValue | null> }
type AttributeValue = string | number | boolean

/** LevelBand is one level of a threshold rule: raised at `at`, held while the value stays beyond `release`. */
export interface LevelBand {
  at: number
  release: number
}

/** RuleCommon holds the fields every kind of rule carries. */
export interface RuleCommon {
  /** unique across all files, [a-z0-9_.-]+ */
  id: string
  kind: RuleKind
  /** Chinese title shown in the duty room */
  title: string
  category: Category
  /** the standard and clause behind the numbers, or "configurable default" */
  source: string
  hazardClause?: string | null
  description?: string
  match?: RuleMatch
}

/** ThresholdRuleSpec raises a level when the value reaches its `at`, after `for` has passed. */
export interface ThresholdRuleSpec extends RuleCommon {
  kind: 'threshold'
  direction: Direction
  /** dwell before the first raise, e.g. "10s"; default "0s" */
  for?: string
  levels: Partial<Record<Level, LevelBand>>
  /** the level that limits.upperAlarm/upperRelease (lowerAlarm/lowerRelease) override; default the lowest */
  alarmLevel?: Level
  /** the level that limits.upperCut/upperRestore override */
  cutLevel?: Level
  /**
   * scale makes `at` and `release` relative to design values the point carries as attributes (TP-1: red
   * at 1.0 × controlDepthM); a level the point's limits give absolutely needs none, and a point with
   * neither for some level is not bound (see effective-levels.ts)
   */
  scale?: ThresholdScale
  /**
   * the lowest level `hazardClause` applies to (TP-1: only red is the major hazard); changes to lower
   * levels carry none. Default: every level.
   */
  hazardLevel?: Level
}

/**
 * ThresholdScale makes a rule's bands relative to design values the point carries as attributes (in the
 * point's unit): factors of them (default) or offsets from them, per level from `attribute` or `levels`.
 */
export interface ThresholdScale {
  attribute: string
  /** levels relative to another attribute, e.g. { red: designMaxLevelM } */
  levels?: Partial<Record<Level, string>>
  /** factor: at × value (the value must be > 0); offset: value + at. Default factor. */
  by?: 'factor' | 'offset'
}

/** NoDataRuleSpec raises when a point (or a whole site) stays silent for missedPeriods × intervalS. */
export interface NoDataRuleSpec extends RuleCommon {
  kind: 'no_data'
  scope: 'point' | 'site'
  missedPeriods: number
  level: Level
}

/** DeviceStatusRuleSpec holds while any of `bits` is set in a reading's status (bit 8 also when out of range). */
export interface DeviceStatusRuleSpec extends RuleCommon {
  kind: 'device_status'
  bits: number[]
  level: Level
}

/** CoreRuleSpec is a rule of one of the core kinds. */
export type CoreRuleSpec = ThresholdRuleSpec | NoDataRuleSpec | DeviceStatusRuleSpec

/**
 * ModuleRuleSpec is a rule of a module's kind: its own fields were checked against the module's schema,
 * so the module reads them with its own type (see src/4-evaluate/module.ts).
 */
export interface ModuleRuleSpec extends RuleCommon {
  [field: string]: unknown
}

/** RuleSpec is one rule as written in a file. */
export type RuleSpec = CoreRuleSpec | ModuleRuleSpec

const CORE_KINDS: ReadonlySet<string> = new Set<CoreKind>(['threshold', 'no_data', 'device_status'])

/** isCoreRule tells whether a rule is of a core kind (and narrows it to the typed union); the engine does not use it. */
export function isCoreRule<T extends RuleSpec> (rule: T): rule is Extract<T, CoreRuleSpec> {
  return CORE_KINDS.has(rule.kind)
}

/** RuleGroup is a named list of rules inside one file. */
export interface RuleGroup {
  name: string
  rules: RuleSpec[]
}

/** RuleFile is the whole content of one rule file. */
export interface RuleFile {
  groups: RuleGroup[]
}

/** RuleMeta is what loading adds to a rule: where it came from and a hash of its content. */
export interface RuleMeta {
  /** short sha256 of the rule's canonical JSON: changes whenever the rule's content changes */
  ruleVersion: string
  file: string
  group: string
}

/** RuleDef is a validated rule ready for the engine. */
export type RuleDef = RuleSpec & RuleMeta

/** CoreRuleDef is a validated rule of a core kind. */
export type CoreRuleDef = CoreRuleSpec & RuleMeta

/** ThresholdRuleDef is a validated threshold rule. */
export type ThresholdRuleDef = ThresholdRuleSpec & RuleMeta
/** NoDataRuleDef is a validated no-data rule. */
export type NoDataRuleDef = NoDataRuleSpec & RuleMeta
/** DeviceStatusRuleDef is a validated device-status rule. */
export type DeviceStatusRuleDef = DeviceStatusRuleSpec & RuleMeta
