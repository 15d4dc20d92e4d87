// A sample KPI table of a simulated day (issue 10 item 3): the whole simulated fleet through the real server in
// compressed time (as test/integration/clean-day.test.ts), 杏山's gateway out for 15 min from 01:00 with a CO leak
// held behind it (gateway-outage + co-leak), the duty room acknowledging what was raised every 10 min and closing
// it an hour later. Then GET /v1/reports/kpi from 00:00 and the daily job's kpi_daily rows. The table is printed and
// kept in test-output/kpi-day.{csv,json}; what is asserted is only what the run makes certain (the outage shows at
// 杏山 alone, the handling delays, the heartbeat all along). `npm test` simulates the first 3 h (about a minute and a
// half); KPI_DAY_HOURS=24 the whole day (about 9 min on 2 cores).
import t from 'tap'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OUTAGE } from '../../src/tools/simulate/scenarios/gateway-outage.js'
import { dayOf } from '../../src/reports/days.js'
import { KPI_CSV_HEADER } from '../../src/reports/csv.js'
import { walApplied } from '../../src/3-store/wal.js'
import { auth } from '../helpers/app.js'
import { call } from '../helpers/api.js'
import { beijing, startScenarioRun } from '../helpers/scenario.js'

const MIN = 60_000
const HOUR = 60 * MIN
const HOURS = Number(process.env.KPI_DAY_HOURS ?? 3)

t.setTimeout(30 * 60_000)

t.test('kpi - a simulated day of the whole fleet, with a gateway outage handled by the duty room', async (t) => {
  const start = beijing('00:00', 2)
  const at = start + HOUR
  const end = start + HOURS * HOUR
  const run = await startScenarioRun(t, { scenarios: ['gateway-outage', 'co-leak'], start, at, stepMs: MIN, env: { MINEWATCH_LATE_AFTER_S: '600' } })
  const acked = new Map<string, number>()
  const closed = new Set<string>()
  const began = Date.now()
  // every 10 simulated minutes the duty room acknowledges what was raised since, and closes what it acknowledged an hour ago
  for (let now = start + 10 * MIN; now <= end; now += 10 * MIN) {
    await run.runUntil(now)
    await run.settle()
    for (const a of await run.app.alarms.list({ limit: 1000 })) {
      if (a.state === 'open' && !acked.has(a.alarmId)) {
        const r = await call(run.app, 'POST', `/v1/alarms/${a.alarmId}/ack`, 'operator', { by: '值班员', note: 'simulated duty room' })
        if (r.status === 200) acked.set(a.alarmId, now)
        else t.comment(`ack ${a.alarmId} refused: ${r.status} ${JSON.stringify(r.body)}`)
      } else if (!closed.has(a.alarmId) && (acked.get(a.alarmId) ?? Infinity) <= now - HOUR) {
        const r = await call(run.app, 'POST', `/v1/alarms/${a.alarmId}/close`, 'operator', { by: '值班员', disposition: 'confirmed', note: 'handled' })
        if (r.status === 200) closed.add(a.alarmId)
      }
    }
    if ((now - start) % (4 * HOUR) === 0) t.comment(`${(now - start) / HOUR} h simulated after ${((Date.now() - began) / 1000).toFixed(0)} s`)
  }
  const seen = await run.settle()
  t.comment(`${HOURS} h simulated in ${((Date.now() - began) / 1000).toFixed(0)} s; ${seen.length} alarm messages, ${acked.size} alarms acknowledged, ${closed.size} closed`)
  t.ok(await walApplied(run.app.questdb.reader, ['readings', 'alarm_transitions', 'server_heartbeat'], { timeoutMs: 60_000 }), 'QuestDB has applied every row')

  const query = `from=${encodeURIComponent(new Date(start).toISOString())}&to=${encodeURIComponent(new Date(end).toISOString())}`
  const res = await call(run.app, 'GET', `/v1/reports/kpi?${query}`, 'operator')
  t.equal(res.status, 200)
  const csv = (await run.app.inject({ method: 'GET', url: `/v1/reports/kpi?${query}&format=csv`, headers: auth('operator') })).body
  const dir = join(process.cwd(), 'test-output')
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'kpi-day.csv'), csv)
  await writeFile(join(dir, 'kpi-day.json'), JSON.stringify(res.body, null, 2) + '\n')
  t.comment(`the KPI table of the simulated day (test-output/kpi-day.csv):\n${csv.replace(/^\uFEFF/, '')}`)

  const sites = res.body.sites as Array<{ siteCode: string, link: { onlineRate: number, offlineS: number, outages: number }, completeness: { rate: number } }>
  t.equal(sites.length, run.fleet.sites.length, 'every site of the fleet')
  const outage = sites.find((s) => s.siteCode === OUTAGE.site)?.link
  // the silence is judged after 3 missed periods (60 s), and the link is back with the first fresh reading
  t.ok(outage !== undefined && outage.outages === 1 && outage.offlineS > 10 * 60 && outage.offlineS <= 15 * 60, `${OUTAGE.site}'s link was down once, under 15 min (${outage?.offlineS ?? NaN} s)`)
  t.same(sites.filter((s) => s.siteCode !== OUTAGE.site && s.link.onlineRate !== 1).map((s) => s.siteCode), [], 'every other link up all day')
  t.ok(sites.every((s) => s.completeness.rate > 0.99), 'the backfill made the data complete')
  t.match(res.body.overall, { system: { availability: 1, downS: 0 }, handling: { all: { ackP50S: Number, ackWithin60mShare: 1 } } },
    'minewatch beat all day; every alarm acknowledged within the 10 min round')

  // the daily job for the simulated Beijing day (up to the simulated now) writes a row per site and one of the whole
  const day = dayOf(start, 'Asia/Shanghai')
  t.equal(await run.app.kpi.runDay(day), sites.length + 1, `kpi_daily rows of ${day}`)
  t.ok(await walApplied(run.app.questdb.reader, ['kpi_daily'], { timeoutMs: 60_000 }))
  const rows = await run.app.questdb.reader.query<{ site: string, link_online_rate: number }>(`SELECT site, link_online_rate FROM kpi_daily WHERE ts = '${new Date(start).toISOString()}' ORDER BY site`)
  t.same(rows.map((r) => [r.site, r.link_online_rate]), [['*', res.body.overall.link.onlineRate], ...[...sites].sort((a, b) => a.siteCode.localeCompare(b.siteCode)).map((s) => [s.siteCode, s.link.onlineRate])],
    'the daily rows hold the figures of the report')
  t.equal(KPI_CSV_HEADER.length, csv.split('\r\n')[0]?.split(',').length)
})
