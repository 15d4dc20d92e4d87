// The data the Grafana panel-query test (test/integration/dashboards.test.ts) runs every dashboard query on: the
// whole simulated fleet (src/tools/simulate) through the real server into a real QuestDB, for a fixed window of
// simulated time, with scenarios that make every module produce something to show, and a duty room that handles
// the alarms. Everything is deterministic (the simulator's default seed, virtual time) except the calendar day:
// the window is yesterday (Beijing) 06:00-13:00, because the server refuses readings from the future.
//
// What lands, by module (scenarios start at 08:00, src/tools/simulate/scenarios):
//  - underground gas and ventilation (杏山 SG-XS): co-leak (CO-005 past red), fan-stop (east main fan stopped 1 h,
//    its feeder idle), the clean CO/O2/NO2/temperature/wind/fan points;
//  - personnel: overcrowding (a second crew for 1 h, one area over its limit), sos (a card's SOS), the shifts'
//    snapshots every 30 s with their leaders;
//  - open-pit slope (水厂 SG-SC): slope-failure (one GNSS station accelerating towards a failure 6 h after 08:00:
//    the tangent angle steepens and the inverse-velocity rule predicts the failure time);
//  - tailings (大石河尾矿库 SG-DSH-TP): phreatic-rise (PZ-03's burial depth through its control depth), with the
//    roll-up alarms it triggers;
//  - power and video: suspension-production (SG-XS suspended 3 h while its hoists draw production power, the
//    belt camera sees the belt running and trucks leave the gate: AI events), plus one AI event (09:30, no helmet)
//    posted here with an evidence snapshot (sha256 and URL), which the simulator's events do not carry;
//  - link status: gateway-outage (SG-XS's uplink down 15 min, then backfilled);
//  - status bits: a calibration of CO-005 at 11:00 (four readings with status 4), posted here: the simulator sends none;
//  - alarms: every 10 simulated minutes the duty room acknowledges what is open, dispatches the first three red alarms,
//    and an hour after acknowledging closes an alarm (every third as a false alarm), except in the last two hours, so
//    that some alarms are still open at the end.
// Then the WAL of every table is applied, readings_5m is refreshed up to the last reading, and, if the server has
// the KPI job (src/reports), it writes the day's kpi_daily rows.
import { createHash } from 'node:crypto'
import { walApplied } from '../../src/3-store/wal.js'
import { isoBeijing } from '../../src/tools/simulate/time.js'
import { call } from './api.js'
import { beijing, startScenarioRun, type ScenarioRun } from './scenario.js'
import type { TestLike } from './services.js'

const MIN = 60_000
const HOUR = 60 * MIN

/** DASHBOARD_SCENARIOS are the simulator scenarios the fixture plays, all from 08:00. */
export const DASHBOARD_SCENARIOS = ['co-leak', 'fan-stop', 'overcrowding', 'sos', 'slope-failure', 'phreatic-rise', 'suspension-production', 'gateway-outage']

/** EVIDENCE_EVENT is the AI event posted with an evidence snapshot (the simulator's carry none), 09:30. */
export const EVIDENCE_EVENT = Object.freeze({ site: 'SG-XS', channel: 'V07', type: 'no_helmet', afterStart: 3 * HOUR + 30 * MIN })

/** CALIBRATION is a sensor calibration the fixture posts (status bit 4, calibration gas): readings with status bits, which the simulator never sends. */
export const CALIBRATION = Object.freeze({ site: 'SG-XS', point: 'CO-005', afterStart: 5 * HOUR, values: [48, 50, 50, 49] })

/** Fixture is the loaded data: the run (app, services, fleet) and the simulated window. */
export interface Fixture {
  run: ScenarioRun
  /** simulated window, epoch ms */
  from: number
  to: number
  /** what the duty room did */
  handled: { acknowledged: number, dispatched: number, closed: number, refused: string[] }
  /** wall-clock ms it took to load */
  loadMs: number
}

/** TABLES are the tables the fixture writes to, whose WAL must be applied before anything is read. */
const TABLES = ['readings', 'sites', 'site_status', 'points', 'alarm_transitions', 'personnel_snapshots', 'personnel_headcount',
  'personnel_events', 'video_channels', 'video_heartbeats', 'video_events']

/** loadDashboardFixture starts services and the app, plays the window and waits until QuestDB shows all of it. */
export async function loadDashboardFixture (t: TestLike & { comment: (...m: unknown[]) => void }, hours = 7): Promise<Fixture> {
  const began = Date.now()
  const from = beijing('06:00', 1)
  const at = from + 2 * HOUR
  const to = from + hours * HOUR
  const run = await startScenarioRun(t, { scenarios: DASHBOARD_SCENARIOS, start: from, at, stepMs: MIN, env: { MINEWATCH_LATE_AFTER_S: '600' } })
  const acked = new Map<string, number>()
  const closed = new Set<string>()
  let dispatched = 0
  let evidencePosted = false
  let calibrated = false
  const refused: string[] = []
  const refuse = (what: string, r: { status: number, body: unknown }): void => { refused.push(`${what}: ${r.status} ${JSON.stringify(r.body)}`) }
  for (let now = from + 10 * MIN; now <= to; now += 10 * MIN) {
    await run.runUntil(now)
    await run.settle()
    if (!evidencePosted && now >= from + EVIDENCE_EVENT.afterStart) {
      const ts = from + EVIDENCE_EVENT.afterStart
      const sha256 = createHash('sha256').update(`minewatch dashboard fixture ${ts}`).digest('hex')
      const res = await call(run.app, 'POST', '/v1/video/events', 'gateway', {
        siteCode: EVIDENCE_EVENT.site,
        events: [{ channel: EVIDENCE_EVENT.channel, ts: isoBeijing(ts), type: EVIDENCE_EVENT.type, confidence: 0.93, count: 1, evidence: { sha256, url: `https://nvr.example.invalid/${EVIDENCE_EVENT.site}/${EVIDENCE_EVENT.channel}/${ts}.jpg` } }]
      })
      if (res.status !== 200) throw new Error(`POST /v1/video/events: ${res.status} ${JSON.stringify(res.body)}`)
      evidencePosted = true
    }
    if (!calibrated && now >= from + CALIBRATION.afterStart + MIN) {
      // off the 20 s grid of the feed's readings: 7 s, 22 s, 37 s and 52 s past the minute
      const readings = CALIBRATION.values.map((value, i) => ({ point: CALIBRATION.point, ts: isoBeijing(from + CALIBRATION.afterStart + 7_000 + i * 15_000), value, status: 4 }))
      const res = await call(run.app, 'POST', '/v1/readings', 'gateway', { siteCode: CALIBRATION.site, readings })
      if (res.status !== 200 || res.body.accepted !== readings.length) throw new Error(`POST /v1/readings (calibration): ${res.status} ${JSON.stringify(res.body)}`)
      calibrated = true
    }
    let closing = 0
    for (const a of await run.app.alarms.list({ limit: 1000 })) {
      if (a.state === 'open' && !acked.has(a.alarmId)) {
        const r = await call(run.app, 'POST', `/v1/alarms/${a.alarmId}/ack`, 'operator', { note: '已确认（模拟值班）' })
        if (r.status !== 200) { refuse(`ack ${a.alarmId}`, r); continue }
        acked.set(a.alarmId, now)
        if (a.level === 'red' && dispatched < 3) {
          const d = await call(run.app, 'POST', `/v1/alarms/${a.alarmId}/dispatch`, 'operator', { assignee: '安全员张工', note: '现场核查' })
          if (d.status === 200) dispatched++
          else refuse(`dispatch ${a.alarmId}`, d)
        }
      } else if (!closed.has(a.alarmId) && (acked.get(a.alarmId) ?? Infinity) <= now - HOUR && now <= to - 2 * HOUR) {
        const disposition = closing++ % 3 === 2 ? 'false_alarm' : 'confirmed'
        const r = await call(run.app, 'POST', `/v1/alarms/${a.alarmId}/close`, 'operator', { disposition, note: '处置完毕（模拟值班）' })
        if (r.status === 200) closed.add(a.alarmId)
        else refuse(`close ${a.alarmId}`, r)
      }
    }
  }
  await run.settle()
  const reader = run.app.questdb.reader
  if (!await walApplied(reader, TABLES, { timeoutMs: 120_000, requireListed: true })) throw new Error('QuestDB did not apply the fixture\'s WAL in 120 s')
  await refreshStatistics(run)
  const kpi = (run.app as unknown as { kpi?: { runDay?: (day: string) => Promise<number> } }).kpi
  if (typeof kpi?.runDay === 'function') {
    const rows = await kpi.runDay(isoBeijing(from).slice(0, 10))
    if (!await walApplied(reader, ['kpi_daily'], { timeoutMs: 60_000, requireListed: true })) throw new Error('QuestDB did not apply kpi_daily in 60 s')
    t.comment(`kpi_daily: ${rows} rows for ${isoBeijing(from).slice(0, 10)}`)
  }
  return { run, from, to, handled: { acknowledged: acked.size, dispatched, closed: closed.size, refused }, loadMs: Date.now() - began }
}

// readings_5m refreshes once a minute on its own (migrations/005): ask for the incremental refresh and wait until the
// view has caught up with every transaction of readings (the feed has stopped, so readings no longer changes).
async function refreshStatistics (run: ScenarioRun): Promise<void> {
  const reader = run.app.questdb.reader
  const until = Date.now() + 120_000
  for (;;) {
    await reader.query('REFRESH MATERIALIZED VIEW readings_5m INCREMENTAL')
    const [view] = await reader.query<{ status: string, refreshed: unknown, base: unknown }>(
      "SELECT view_status AS status, refresh_base_table_txn AS refreshed, base_table_txn AS base FROM materialized_views() WHERE view_name = 'readings_5m'")
    if (view?.status === 'valid' && Number(view.refreshed) >= Number(view.base)) return
    if (Date.now() > until) throw new Error(`readings_5m was not refreshed in 120 s: ${JSON.stringify(view)}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
