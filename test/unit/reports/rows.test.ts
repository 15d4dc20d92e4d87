// The KPI report's CSV and its kpi_daily rows, from the hand-computed fixture.
import t from 'tap'
import { computeKpi } from '../../../src/reports/compute.js'
import { KPI_CSV_HEADER, kpiCsv } from '../../../src/reports/csv.js'
import { createDailyJob, dailyRow } from '../../../src/reports/daily.js'
import { silentLog } from '../../../src/lib/log.js'
import { FakeWriter } from '../../helpers/fake-store.js'
import { heartbeatRow } from '../../../src/reports/heartbeat.js'
import { fixtureData } from './data.js'
import { D0, DAY, END, NOW } from './fixture.js'

const report = computeKpi(fixtureData(), { from: D0, to: END })

t.test('csv - a BOM, a header, one row per site and one of the whole', async (t) => {
  const text = kpiCsv(report)
  t.ok(text.startsWith('\uFEFF'), 'a BOM, for spreadsheets')
  const lines = text.slice(1).split('\r\n')
  t.equal(lines.pop(), '', 'CRLF after the last row')
  t.equal(lines[0], KPI_CSV_HEADER.join(','))
  t.same(lines.slice(1).map((l) => l.split(',').slice(0, 5)), [
    ['2026-11-20T16:00:00.000Z', '2026-11-21T16:00:00.000Z', '2026-11-21T16:00:00.000Z', 'KPI-S1', '一号矿'],
    ['2026-11-20T16:00:00.000Z', '2026-11-21T16:00:00.000Z', '2026-11-21T16:00:00.000Z', 'KPI-S2', '二号矿'],
    ['2026-11-20T16:00:00.000Z', '2026-11-21T16:00:00.000Z', '2026-11-21T16:00:00.000Z', '*', '全部']
  ])
  const s2 = Object.fromEntries(KPI_CSV_HEADER.map((h, i) => [h, lines[2]?.split(',')[i]]))
  t.match(s2, { link_online_rate: '0.888889', completeness: '0.972222', ack_p50_s: '', closed_within_24h_share: '', ack_within_60m_share: '0', system_availability: '0.979167' },
    'a figure with nothing to divide is an empty field')
})

t.test('dailyRow - one kpi_daily row: integers as INT, nulls left out, the day start as ts', async (t) => {
  const row = dailyRow(DAY, D0, report.sites[0] as never, NOW)
  t.same(row.symbols, { site: 'KPI-S1' })
  t.equal(row.ts, D0)
  t.match(row.columns, {
    day: '2026-11-21',
    monitored_s: 86400,
    link_online_rate: 0.9375,
    link_offline_s: 5400,
    link_outages: 1,
    point_online_rate: 0.944444,
    completeness: 0.935185,
    readings_expected: 2160,
    readings_stored: 2020,
    alarms: 6,
    raises: 7,
    alarms_fault: 2,
    alarms_red: 1,
    alarm_peak_10m: 3,
    ack_p50_s: 660,
    ack_p90_s: 5400,
    ack_within_60m_share: 0.666667,
    closed_within_24h_share: 0.8,
    false_alarm_share: 0.4,
    fault_ack_p90_s: 2700,
    fault_ack_within_60m_share: 1,
    fault_closed_within_24h_share: 0.5,
    system_availability: 0.979167,
    computed_at: NOW
  })
  t.ok(row.ints?.includes('alarms') === true && row.ints.includes('link_outages') && !row.ints.includes('monitored_s'))
  const s2 = dailyRow(DAY, D0, report.sites[1] as never, NOW)
  t.equal(s2.columns.ack_p50_s, null, 'a null figure stays null (the writer leaves it out: NULL in QuestDB)')
})

t.test('heartbeatRow - instance, start and period', async (t) => {
  t.same(heartbeatRow('host:1', 5, 60_000, 7), { symbols: { instance: 'host:1' }, columns: { started_at: 5, period_s: 60 }, ints: ['period_s'], timestamps: ['started_at'], ts: 7 })
})

t.test('daily job - a local day is one report, written as a row per site and one of the whole; due: the two days before today', async (t) => {
  const writer = new FakeWriter()
  const asked: Array<[number, number, readonly string[]]> = []
  const job = createDailyJob({
    kpi: { report: async (from, to, sites) => { asked.push([from, to, sites]); return report } },
    writer,
    sites: () => ['KPI-S1', 'KPI-S2'],
    timezone: 'Asia/Shanghai',
    log: silentLog
  })
  t.equal(await job.runDay(DAY), 3)
  t.same(asked, [[D0, END, ['KPI-S1', 'KPI-S2']]], 'the Beijing day 2026-11-21, every registered site')
  t.same(writer.tables.get('kpi_daily')?.map((r) => [r.symbols?.site, r.ts, r.columns.day]), [['KPI-S1', D0, DAY], ['KPI-S2', D0, DAY], ['*', D0, DAY]])
  t.same(job.due(NOW), ['2026-11-20', '2026-11-21'], 'at 06:00 on 2026-11-22: the day before yesterday (its 24 h figures now final) and yesterday')
  t.same(job.due(Date.parse('2026-11-22T16:04:00Z')), ['2026-11-21', '2026-11-22'], '00:04 Beijing time on 2026-11-23')
})
