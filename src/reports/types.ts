// The KPI report (docs/kpi.md): what the queries read (rows of QuestDB, the registry's sites) and what the pure
// computation makes of them (figures per site and for the whole fleet).
import type { Category, Disposition, Level, SiteStatus } from '../contract/index.js'
import type { Span } from './spans.js'

/** TransitionRow is the part of an alarm_transitions row the report reads: the alarm after the transition. */
export interface TransitionRow {
  alarmId: string
  seq: number
  transition: string
  category: Category
  level: Level
  site: string
  ruleId: string
  points: string[]
  state: string
  active: boolean
  disposition: Disposition | null
  /** the server's decision time (epoch ms) */
  ts: number
}

/** SiteInfo is a registered site: its code, name and status timeline (status from `since` on). */
export interface SiteInfo { code: string, name: string, timeline: ReadonlyArray<{ since: number, status: SiteStatus }> }

/** PointVersion is one stored version of a point definition; intervalS is null for a removal. */
export interface PointVersion { site: string, point: string, intervalS: number | null, ts: number }

/** ReadingCount is how many readings of one point are stored within the range. */
export interface ReadingCount { site: string, point: string, count: number }

/** Beat is one row of minewatch's own heartbeat: when, and the period it was written with. */
export interface Beat { ts: number, periodMs: number }

/**
 * KpiData is everything one report is computed from. `range` is [from, until) with until = min(to, now).
 * linkRows: the connectivity alarms' rows in the range plus each one's latest row before it (its state at `from`);
 * cohort: every row since `from` of the alarms first raised (seq 1) within the range; raises: every raise (new or
 * re-raise) within the range; beats: the heartbeats within the range plus the last one before and the first after.
 */
export interface KpiData {
  range: Span
  now: number
  sites: SiteInfo[]
  points: PointVersion[]
  readings: ReadingCount[]
  linkRows: TransitionRow[]
  cohort: TransitionRow[]
  raises: Array<{ site: string, ts: number }>
  beats: Beat[]
}

/** Handling is how a group of alarms was handled: response (acknowledgment) and repair (closing) times. */
export interface Handling {
  alarms: number
  /** alarms with a response (acknowledged, dispatched or closed) */
  acknowledged: number
  ackP50S: number | null
  ackP90S: number | null
  /** responded within 60 min, of the alarms responded to or raised more than 60 min ago */
  ackWithin60mShare: number | null
  closed: number
  /** closed within 24 h of the raise, of the alarms closed or raised more than 24 h ago */
  closedWithin24hShare: number | null
  falseAlarms: number
  /** false_alarm dispositions of the closed alarms */
  falseAlarmShare: number | null
  dispositions: Record<Disposition, number>
}

/** Figures are the KPI figures of one site, or of the whole fleet (siteCode '*'). */
export interface Figures {
  siteCode: string
  name: string
  /** seconds of the range the site was registered and not closed */
  monitoredS: number
  link: { onlineRate: number | null, offlineS: number, outages: number }
  points: { count: number, onlineRate: number | null, offlineS: number }
  completeness: { rate: number | null, expected: number, stored: number }
  alarms: {
    count: number
    raises: number
    byCategory: Record<Category, number>
    byLevel: Record<Level, number>
    ratePer10m: number | null
    peak10m: number
  }
  handling: { all: Handling, fault: Handling }
  system: { availability: number | null, downS: number }
}

/** KpiReport is the answer of GET /v1/reports/kpi: the range, each site and the whole. */
export interface KpiReport {
  from: number
  to: number
  /** the end actually counted: min(to, the time of the report) */
  until: number
  generatedAt: number
  sites: Figures[]
  overall: Figures
}
