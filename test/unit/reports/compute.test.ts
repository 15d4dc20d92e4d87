// The KPI figures against the hand-computed fixture (./fixture.ts, ./expected.ts): the pure computation of
// src/reports over the rows the queries would read, made by the real transition function.
import t from 'tap'
import { computeKpi } from '../../../src/reports/compute.js'
import { fixtureData, fixtureRows } from './data.js'
import { EXPECTED_OVERALL, EXPECTED_S1, EXPECTED_S2 } from './expected.js'
import { D0, END, H, NOW } from './fixture.js'

t.test('the fixture plays as written: every step is one transition', async (t) => {
  const rows = fixtureRows()
  t.equal(rows.length, 24)
  t.same(rows.filter((r) => r.alarmId === 'A4').map((r) => r.transition), ['raised', 'cleared', 'raised', 'acknowledged', 'closed'], 'A4 is re-raised before it is acknowledged')
  t.same(rows.filter((r) => r.alarmId === 'A1').map((r) => `${r.transition}:${r.level}`), ['raised:yellow', 'escalated:red', 'acknowledged:red', 'closed:red'])
})

t.test('kpi - each site and the whole, as computed by hand', async (t) => {
  const report = computeKpi(fixtureData(), { from: D0, to: END })
  t.same([report.from, report.to, report.until, report.generatedAt], [D0, END, END, NOW])
  t.same(report.sites.map((s) => s.siteCode), ['KPI-S1', 'KPI-S2'], 'sites in code order')
  t.same(report.sites[0], EXPECTED_S1, 'KPI-S1: link down 1.5 h, a point down 2 h, a point half the day, six alarms handled at known delays')
  t.same(report.sites[1], EXPECTED_S2, 'KPI-S2: closed from 18:00, link down 1 h from the evening before and 1 h before closing')
  t.same(report.overall, EXPECTED_OVERALL, 'the whole: times and counts summed before dividing')
})

t.test('kpi - a range reaching past now counts up to now only', async (t) => {
  const data = { ...fixtureData(), range: [D0, D0 + 12 * H] as const }
  const report = computeKpi(data, { from: D0, to: D0 + 48 * H })
  t.equal(report.until, D0 + 12 * H)
  t.equal(report.sites[0]?.monitoredS, 12 * 3600, 'monitored up to `until`')
  t.equal(report.sites[0]?.alarms.ratePer10m, Math.round(7 / 72 * 1e6) / 1e6, 'rate over the counted range (the raises are as given)')
})

t.test('kpi - no site, no time: nothing to divide is null, not 0 or NaN', async (t) => {
  const report = computeKpi({ range: [D0, D0], now: D0, sites: [], points: [], readings: [], linkRows: [], cohort: [], raises: [], beats: [] }, { from: D0, to: END })
  t.same(report.sites, [])
  t.match(report.overall, {
    monitoredS: 0,
    link: { onlineRate: null },
    points: { count: 0, onlineRate: null },
    completeness: { rate: null, expected: 0, stored: 0 },
    alarms: { count: 0, ratePer10m: null, peak10m: 0 },
    handling: { all: { ackP50S: null, ackWithin60mShare: null, closedWithin24hShare: null, falseAlarmShare: null } },
    system: { availability: null, downS: 0 }
  })
})
