// GET /v1/reports/kpi and the daily kpi_daily rows against a real QuestDB and nats-server: the hand-computed day of
// test/unit/reports/fixture.ts played through the real app — sites and points registered over HTTP, alarms raised,
// cleared, acknowledged and closed by the alarm service at known (virtual) times, readings and heartbeats stored
// through the writer — then the figures read back exactly as worked out by hand (test/unit/reports/expected.ts).
// Time is a virtual scheduler that is never run: it only moves the app's clock, so no periodic check, deadline or
// heartbeat fires on its own and every row has the time the fixture gives it.
import t from 'tap'
import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import { createReplayScheduler, type ReplayScheduler } from '../../src/lib/virtual-time.js'
import { clockOf } from '../../src/lib/clock.js'
import { walApplied } from '../../src/3-store/wal.js'
import { heartbeatRow } from '../../src/reports/heartbeat.js'
import { KPI_CSV_HEADER } from '../../src/reports/csv.js'
import { buildTestApp, auth } from '../helpers/app.js'
import { call, type ApiTap, type Role } from '../helpers/api.js'
import { startServices } from '../helpers/services.js'
import { until } from '../helpers/wait.js'
import { EXPECTED_OVERALL, EXPECTED_S1, EXPECTED_S2 } from '../unit/reports/expected.js'
import { BEATS, conditionOf, D0, DAY, END, H, NOW, POINT_PUTS, READINGS, S1, S2, S2_CLOSED, SINCE, STEPS } from '../unit/reports/fixture.js'

const iso = (ms: number): string => new Date(ms).toISOString()
const TABLES = ['alarm_transitions', 'readings', 'server_heartbeat', 'points', 'sites', 'site_status', 'kpi_daily']

/** Tap is the part of a tap Test playDay asserts with. */
type Tap = ApiTap & { ok: (found: unknown, message: string) => boolean }

async function kpi (app: FastifyInstance, query: string, role: Role = 'operator'): Promise<{ status: number, body: any }> {
  return await call(app, 'GET', `/v1/reports/kpi?${query}`, role)
}

// plays the fixture's day in time order: registry changes over HTTP, alarm steps through the alarm service
async function playDay (t: Tap, app: FastifyInstance, scheduler: ReplayScheduler): Promise<void> {
  const at = (ms: number): void => { scheduler.frame = ms }
  const ids = new Map<string, string>()
  const registry = [
    ...POINT_PUTS.map((p) => ({ at: p.at, run: async () => await call(app, 'PUT', `/v1/sites/${p.site}/points`, 'admin', p.points.map((x) => ({ pointCode: x.code, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: x.intervalS, range: [0, 1000] }))) })),
    { at: S2_CLOSED, run: async () => await call(app, 'POST', `/v1/sites/${S2}/status`, 'admin', { status: 'closed', since: iso(S2_CLOSED) }) }
  ]
  const alarms = STEPS.map((s) => ({
    at: s.at,
    run: async () => {
      if ('act' in s) return await app.alarms.act(ids.get(s.key) as string, s.act)
      const c = conditionOf(s.key, s.level, s.at)
      await app.alarms.onCondition(c)
      if (!ids.has(s.key)) ids.set(s.key, (await app.alarms.list({ state: 'all', limit: 100 })).find((a) => a.key === c.key)?.alarmId as string)
      return undefined
    }
  }))
  at(SINCE)
  for (const [site, name] of [[S1, '一号矿'], [S2, '二号矿']]) {
    t.equal((await call(app, 'PUT', `/v1/sites/${site}`, 'admin', { name, kind: 'underground', status: 'producing' })).status, 200, `site ${site as string}`)
  }
  for (const step of [...registry, ...alarms].sort((a, b) => a.at - b.at)) {
    at(step.at)
    const res = await step.run()
    if (res !== undefined && 'status' in res && res.status !== 200) t.fail('registry change refused', { res })
  }
  t.same(await app.questdb.writer.writeReadings(READINGS), [], 'readings stored')
  t.same(await app.questdb.writer.writeRows('server_heartbeat', BEATS.map((ts) => heartbeatRow('fixture', BEATS[0] as number, 60_000, ts))), [], 'heartbeats stored')
  at(NOW)
  t.ok(await walApplied(app.questdb.reader, TABLES, { timeoutMs: 60_000 }), 'QuestDB has applied every row')
}

t.test('kpi report - the hand-computed day through the real app, QuestDB and NATS', async (t) => {
  const services = await startServices(t)
  const scheduler = createReplayScheduler(SINCE)
  const app = await buildTestApp(t, { qdb: services.qdb, nats: services.nats, clock: clockOf(scheduler), scheduler, autoClose: false })
  await playDay(t, app, scheduler)
  const day = `from=${encodeURIComponent(iso(D0))}&to=${encodeURIComponent(iso(END))}`

  const res = await kpi(app, day)
  t.equal(res.status, 200)
  t.same([res.body.from, res.body.to, res.body.until, res.body.generatedAt], [iso(D0), iso(END), iso(END), iso(NOW)])
  t.same(res.body.sites, [EXPECTED_S1, EXPECTED_S2], 'each site as computed by hand: the offline spans, the handling delays, the false alarm')
  t.same(res.body.overall, EXPECTED_OVERALL, 'the whole')
  const beijing = await kpi(app, `from=${encodeURIComponent('2026-11-21T00:00:00+08:00')}&to=${encodeURIComponent('2026-11-22T00:00:00+08:00')}&format=json`, 'admin')
  t.same(beijing.body.overall, EXPECTED_OVERALL, 'the same day written with the +08:00 offset')

  const one = await kpi(app, `${day}&site=${S1}`)
  t.same(one.body.sites, [EXPECTED_S1], '?site: that site only')
  t.same(one.body.overall, { ...EXPECTED_S1, siteCode: '*', name: '全部' }, 'and the whole is that site')

  const csv = await app.inject({ method: 'GET', url: `/v1/reports/kpi?${day}&format=csv`, headers: auth('operator') })
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv/)
  t.match(csv.headers['content-disposition'], /attachment; filename="kpi-all-2026-11-20\.csv"/)
  const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n')
  t.equal(lines[0], KPI_CSV_HEADER.join(','), 'the header')
  t.same(lines.slice(1).map((l) => l.split(',')[3]), [S1, S2, '*'], 'a row per site and one of the whole')
  const row = (n: number): Record<string, string | undefined> => Object.fromEntries(KPI_CSV_HEADER.map((h, i) => [h, lines[n]?.split(',')[i]]))
  t.match(row(1), { link_online_rate: '0.9375', point_online_rate: '0.944444', completeness: '0.935185', ack_p50_s: '660', ack_p90_s: '5400', false_alarm_share: '0.4', system_availability: '0.979167' })
  t.match(row(3), { link_online_rate: '0.916667', alarms: '7', raises: '8', alarm_peak_10m: '3', closed_within_24h_share: '0.8' })
  const accept = await app.inject({ method: 'GET', url: `/v1/reports/kpi?${day}`, headers: { ...auth('operator'), accept: 'text/csv' } })
  t.equal(accept.body, csv.body, 'Accept: text/csv answers the same CSV')

  // the daily job, run for the fixture's day: one row per site and one of the whole, and again: the same rows
  t.equal(await app.kpi.runDay(DAY), 3, 'three rows written')
  t.equal(await app.kpi.runDay(DAY), 3, 'written again')
  t.ok(await walApplied(app.questdb.reader, ['kpi_daily'], { timeoutMs: 60_000 }))
  const rows = await app.questdb.reader.query<Record<string, unknown>>(`SELECT * FROM kpi_daily WHERE ts = '${iso(D0)}' ORDER BY site`)
  t.same(rows.map((r) => r.site), ['*', S1, S2], 'upserted: one row per site and day, however often the day is run')
  t.match(rows[1], {
    day: DAY,
    monitored_s: 86400,
    link_online_rate: 0.9375,
    link_offline_s: 5400,
    link_outages: 1,
    point_online_rate: 0.944444,
    points: 2,
    completeness: 0.935185,
    alarms: 6,
    raises: 7,
    alarms_over_limit: 2,
    alarms_red: 1,
    alarm_peak_10m: 3,
    ack_p50_s: 660,
    ack_p90_s: 5400,
    ack_within_60m_share: 0.666667,
    closed_within_24h_share: 0.8,
    false_alarm_share: 0.4,
    fault_ack_p90_s: 2700,
    fault_closed_within_24h_share: 0.5,
    system_availability: 0.979167,
    computed_at: NOW
  }, 'KPI-S1 of 2026-11-21')
  t.match(rows[2], { site: S2, link_online_rate: 0.888889, ack_p50_s: null, closed_within_24h_share: null, ack_within_60m_share: 0 }, 'KPI-S2: nothing to divide is NULL')
  t.match(rows[0], { link_online_rate: 0.916667, completeness: 0.953704, alarms: 7 }, 'the whole')

  // the KPI dashboard reads these rows: every query of grafana/dashboards/kpi.json runs and finds them
  const dashboard = JSON.parse(await readFile(new URL('../../grafana/dashboards/kpi.json', import.meta.url), 'utf8')) as { panels: Array<{ title: string, targets: Array<{ rawSql: string }> }>, templating: { list: Array<{ query: string }> } }
  const expand = (sql: string, site: string): string => sql.replaceAll('$site', site)
    .replace(/\$__timeFilter\(([\w.]+)\)/g, (_, column: string) => `${column} BETWEEN '${iso(D0 - 24 * H)}' AND '${iso(D0 + 48 * H)}'`)
  const queries = [
    ...dashboard.templating.list.map((v) => ['variable', v.query] as const),
    ...dashboard.panels.flatMap((p) => p.targets.map((q) => [p.title, q.rawSql] as const))
  ]
  for (const [title, sql] of queries) {
    for (const site of [S1, '*']) {
      const found = await app.questdb.reader.query(expand(sql, site))
      t.ok(found.length > 0, `dashboard ${title} (${site}): ${found.length} row(s)`)
    }
  }
  const [linkStat] = await app.questdb.reader.query<Record<string, number>>(expand(dashboard.panels[0]?.targets[0]?.rawSql ?? '', S1))
  t.same(linkStat, { 联网率: 0.9375 }, 'the link stat of KPI-S1 for the day')

  await t.test('refusals name the parameter; scope as every site route', async (t) => {
    const refused = async (query: string, path: string, role: Role = 'operator'): Promise<void> => {
      const r = await kpi(app, query, role)
      t.match([r.status, r.body], [400, { error: 'MW_ERR_INVALID_QUERY', details: [{ path }] }], `${query} → 400 at ${path}`)
    }
    await refused(`from=${iso(END)}&to=${iso(D0)}`, '/querystring/to')
    await refused(`from=${iso(D0)}&to=${iso(D0)}`, '/querystring/to')
    await refused(`from=${iso(D0)}&to=${iso(D0 + 367 * 24 * H)}`, '/querystring/to')
    await refused(`from=yesterday&to=${iso(END)}`, '/querystring/from')
    await refused(`from=${iso(D0)}`, '/querystring/to')
    await refused(`${day}&format=xlsx`, '/querystring/format')
    t.equal((await kpi(app, `from=${iso(D0)}&to=${iso(D0 + 366 * 24 * H)}`)).status, 200, '366 days is allowed')
    t.match(await kpi(app, `${day}&site=NOPE`, 'admin'), { status: 404, body: { error: 'MW_ERR_UNKNOWN_SITE' } })
    t.match(await kpi(app, `${day}&site=${S1}`, 'otherOperator'), { status: 403, body: { error: 'MW_ERR_FORBIDDEN' } }, 'another site\'s caller')
    const theirs = await kpi(app, day, 'otherOperator')
    t.same([theirs.status, theirs.body.sites, theirs.body.overall.alarms.count], [200, [], 0], 'without ?site: only the caller\'s sites (none of these)')
    t.match(await kpi(app, day, 'gateway'), { status: 403 }, 'a gateway is no viewer')
    t.equal((await app.inject({ method: 'GET', url: `/v1/reports/kpi?${day}` })).statusCode, 401)
  })
  await app.close()

  // a server started after its 00:05 missed yesterday's rows writes them once it is ready
  const later = createReplayScheduler(D0 + 54 * H)
  const restarted = await buildTestApp(t, { qdb: services.qdb, nats: services.nats, clock: clockOf(later), scheduler: later })
  const missed = iso(D0 + 24 * H)
  const found = await until(async () => {
    const r = await restarted.questdb.reader.query<{ site: string }>(`SELECT site FROM kpi_daily WHERE ts = '${missed}' ORDER BY site`)
    return r.length === 3 ? r : undefined
  }, 'the rows of 2026-11-22, written at start')
  t.same(found.map((r) => r.site), ['*', S1, S2], 'yesterday (2026-11-22) written at start, a row per site and the whole')
})
