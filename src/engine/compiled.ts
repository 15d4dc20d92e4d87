// The engine's compiled form: one instance per (rule, point) or (rule, site), each holding a direct
// reference to its mutable state, so the hot path does one Map lookup per reading and none per rule.
import type { Level } from '../contract/index.js'
import type { Point, Site } from '../registry/types.js'
import type { Direction } from './rule-file.js'
import type { RuleHealth, RuleRef } from './types.js'

/** KeyState is the evaluation state of one condition key; it survives recompiles (kept by key). */
export interface KeyState {
  /** level the condition stands at, null when it does not hold */
  level: Level | null
  /** event time of the last reading evaluated for this key: older or equal ones are skipped */
  lastTs: number
  /** event time since which a candidate level has held without firing yet (threshold dwell) */
  pendingSince: number | null
  /** the candidate level while pending */
  pendingLevel: Level | null
}

/** PointTrack remembers when a point last reported, for the no-data checks. */
export interface PointTrack {
  /** highest event time seen for the point, null if it never reported since the engine started */
  lastTs: number | null
  /** the later of the point's definedAt and the engine start: "last seen" for a point never heard from */
  baseline: number
}

/** HealthRecord is a rule's mutable health, shared by all of its instances. */
export interface HealthRecord extends RuleHealth {
  ruleVersion: string
}

/** EffectiveLevel is one level of a threshold rule on one point, after the point's limits. */
export interface EffectiveLevel {
  level: Level
  at: number
  release: number
}

interface InstanceBase {
  /** `${ruleId}|${siteCode}|${pointCode or '*'}` */
  key: string
  ref: RuleRef
  health: HealthRecord
  state: KeyState
  site: Site
}

/** ThresholdInstance is a threshold rule bound to one point with effective levels. */
export interface ThresholdInstance extends InstanceBase {
  kind: 'threshold'
  point: Point
  direction: Direction
  forMs: number
  /** present levels, lowest first */
  levels: EffectiveLevel[]
  /** with the rule's hazardLevel: the rank below which changes carry `ref` (hazardClause null) instead */
  belowHazard: { rank: number, ref: RuleRef } | null
}

/** DeviceInstance is a device-status rule bound to one point. */
export interface DeviceInstance extends InstanceBase {
  kind: 'device_status'
  point: Point
  /** OR of the rule's bits */
  mask: number
  level: Level
}

/** PointNoDataInstance is a point-scope no-data rule bound to one point. */
export interface PointNoDataInstance extends InstanceBase {
  kind: 'no_data'
  point: Point
  track: PointTrack
  thresholdMs: number
  level: Level
}

/** SiteNoDataInstance is a site-scope no-data rule bound to one site and the points it watches. */
export interface SiteNoDataInstance extends InstanceBase {
  kind: 'no_data_site'
  tracks: PointTrack[]
  thresholdMs: number
  level: Level
}

/** PointRules is everything evaluated for one point's readings. */
export interface PointRules {
  site: Site
  point: Point
  track: PointTrack
  device: DeviceInstance[]
  threshold: ThresholdInstance[]
  noData: PointNoDataInstance[]
  /** site-scope no-data instances that this point's readings clear */
  siteNoData: SiteNoDataInstance[]
}

/** CompiledRules is the rule set bound to the registry: per site, per point, plus the no-data lists. */
export interface CompiledRules {
  bySite: Map<string, Map<string, PointRules>>
  pointNoData: PointNoDataInstance[]
  siteNoData: SiteNoDataInstance[]
  /** every condition key in use, so unused state can be dropped */
  keys: Set<string>
}

/** newKeyState is the state of a condition that does not hold and has seen nothing. */
export function newKeyState (): KeyState {
  return { level: null, lastTs: -Infinity, pendingSince: null, pendingLevel: null }
}
