// The daily KPI rows (docs/kpi.md): one row per site and local day in kpi_daily, plus one of the whole fleet (site
// '*'), written through the batched writer. A day is written again the next night: alarms raised late in a day
// have their 24 h to be closed only then, so the row of the day before yesterday is final. Re-running a day
// upserts its rows (DEDUP UPSERT KEYS(ts, site), migrations/012).
import type { Row, Writer } from '../3-store/types.js'
import type { Log } from '../lib/log.js'
import { addDays, dayOf, dayRange } from './days.js'
import type { KpiService } from './service.js'
import type { Figures } from './types.js'

/** KPI_DAILY_TABLE holds the daily rows (migrations/012). */
export const KPI_DAILY_TABLE = 'kpi_daily'

const INTS = ['link_outages', 'points', 'alarms', 'raises', 'alarms_early_warning', 'alarms_over_limit', 'alarms_violation',
  'alarms_fault', 'alarms_blue', 'alarms_yellow', 'alarms_orange', 'alarms_red', 'alarm_peak_10m'] as const

/** dailyRow is the kpi_daily row of one site's (or the fleet's) figures for the local day starting at `start`. */
export function dailyRow (day: string, start: number, f: Figures, computedAt: number): Row {
  const { all, fault } = f.handling
  return {
    symbols: { site: f.siteCode },
    columns: {
      day,
      monitored_s: f.monitoredS,
      link_online_rate: f.link.onlineRate,
      link_offline_s: f.link.offlineS,
      link_outages: f.link.outages,
      point_online_rate: f.points.onlineRate,
      points: f.points.count,
      completeness: f.completeness.rate,
      readings_expected: f.completeness.expected,
      readings_stored: f.completeness.stored,
      alarms: f.alarms.count,
      raises: f.alarms.raises,
      alarms_early_warning: f.alarms.byCategory.early_warning,
      alarms_over_limit: f.alarms.byCategory.over_limit,
      alarms_violation: f.alarms.byCategory.violation,
      alarms_fault: f.alarms.byCategory.fault,
      alarms_blue: f.alarms.byLevel.blue,
      alarms_yellow: f.alarms.byLevel.yellow,
      alarms_orange: f.alarms.byLevel.orange,
      alarms_red: f.alarms.byLevel.red,
      alarm_rate_per_10m: f.alarms.ratePer10m,
      alarm_peak_10m: f.alarms.peak10m,
      ack_p50_s: all.ackP50S,
      ack_p90_s: all.ackP90S,
      ack_within_60m_share: all.ackWithin60mShare,
      closed_within_24h_share: all.closedWithin24hShare,
      false_alarm_share: all.falseAlarmShare,
      fault_ack_p90_s: fault.ackP90S,
      fault_ack_within_60m_share: fault.ackWithin60mShare,
      fault_closed_within_24h_share: fault.closedWithin24hShare,
      system_availability: f.system.availability,
      computed_at: computedAt
    },
    ints: INTS,
    timestamps: ['computed_at'],
    ts: start
  }
}

/** DailyJob computes and stores the rows of local days. */
export interface DailyJob {
  /** runDay writes the rows of `day` (YYYY-MM-DD in the zone) for every registered site; resolves to the rows written */
  runDay: (day: string) => Promise<number>
  /** due lists the days the nightly run writes at `now`: the day before yesterday and yesterday */
  due: (now: number) => string[]
}

/** DailyJobOptions bind the job to the report, the writer, the registered sites and the zone of its days. */
export interface DailyJobOptions { kpi: KpiService, writer: Writer, sites: () => string[], timezone: string, log: Log }

/** createDailyJob makes the job the plugin schedules (and a test runs for a fixed day). */
export function createDailyJob (o: DailyJobOptions): DailyJob {
  return {
    async runDay (day) {
      const [start, end] = dayRange(day, o.timezone)
      const report = await o.kpi.report(start, end, o.sites())
      const rows = [...report.sites, report.overall].map((f) => dailyRow(day, start, f, report.generatedAt))
      await o.writer.writeRows(KPI_DAILY_TABLE, rows)
      o.log.info({ day, sites: report.sites.length, until: new Date(report.until).toISOString() }, 'daily KPI rows written')
      return rows.length
    },
    due (now) {
      const today = dayOf(now, o.timezone)
      return [addDays(today, -2), addDays(today, -1)]
    }
  }
}
