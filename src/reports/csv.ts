// The KPI report as CSV (docs/kpi.md): one row per site, then the row of the whole (site "*"); UTF-8 with a BOM
// and CRLF line ends like the evidence export, so a spreadsheet opens it as it is. Column names are the kpi_daily
// columns where one exists.
import { toCsv } from '../5-alarm/evidence/csv.js'
import { toIso } from '../lib/time.js'
import type { Figures, KpiReport } from './types.js'

type Column = [name: string, value: (f: Figures) => unknown]

const COLUMNS: readonly Column[] = [
  ['site', (f) => f.siteCode],
  ['name', (f) => f.name],
  ['monitored_s', (f) => f.monitoredS],
  ['link_online_rate', (f) => f.link.onlineRate],
  ['link_offline_s', (f) => f.link.offlineS],
  ['link_outages', (f) => f.link.outages],
  ['point_online_rate', (f) => f.points.onlineRate],
  ['points', (f) => f.points.count],
  ['point_offline_s', (f) => f.points.offlineS],
  ['completeness', (f) => f.completeness.rate],
  ['readings_expected', (f) => f.completeness.expected],
  ['readings_stored', (f) => f.completeness.stored],
  ['alarms', (f) => f.alarms.count],
  ['raises', (f) => f.alarms.raises],
  ['alarms_early_warning', (f) => f.alarms.byCategory.early_warning],
  ['alarms_over_limit', (f) => f.alarms.byCategory.over_limit],
  ['alarms_violation', (f) => f.alarms.byCategory.violation],
  ['alarms_fault', (f) => f.alarms.byCategory.fault],
  ['alarms_blue', (f) => f.alarms.byLevel.blue],
  ['alarms_yellow', (f) => f.alarms.byLevel.yellow],
  ['alarms_orange', (f) => f.alarms.byLevel.orange],
  ['alarms_red', (f) => f.alarms.byLevel.red],
  ['alarm_rate_per_10m', (f) => f.alarms.ratePer10m],
  ['alarm_peak_10m', (f) => f.alarms.peak10m],
  ['ack_p50_s', (f) => f.handling.all.ackP50S],
  ['ack_p90_s', (f) => f.handling.all.ackP90S],
  ['ack_within_60m_share', (f) => f.handling.all.ackWithin60mShare],
  ['closed_within_24h_share', (f) => f.handling.all.closedWithin24hShare],
  ['false_alarm_share', (f) => f.handling.all.falseAlarmShare],
  ['fault_ack_p50_s', (f) => f.handling.fault.ackP50S],
  ['fault_ack_p90_s', (f) => f.handling.fault.ackP90S],
  ['fault_ack_within_60m_share', (f) => f.handling.fault.ackWithin60mShare],
  ['fault_closed_within_24h_share', (f) => f.handling.fault.closedWithin24hShare],
  ['system_availability', (f) => f.system.availability],
  ['system_down_s', (f) => f.system.downS]
]

/** KPI_CSV_HEADER is the header row: from, to and until, then the figures. */
export const KPI_CSV_HEADER: readonly string[] = ['from', 'to', 'until', ...COLUMNS.map(([name]) => name)]

/** kpiCsv renders a report as CSV text. */
export function kpiCsv (r: KpiReport): string {
  const range = [toIso(r.from), toIso(r.to), toIso(r.until)]
  return toCsv(KPI_CSV_HEADER, [...r.sites, r.overall].map((f) => [...range, ...COLUMNS.map(([, value]) => value(f))]))
}
