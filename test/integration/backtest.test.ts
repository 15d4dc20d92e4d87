// backtest - replaying stored history on a real QuestDB: readings posted through the HTTP API (CO over the
// limit, then silence) are read back page by page by the backtest library, which must produce the exact
// changes (the CO raise at its event time, the no-data conditions) and compare them with the alarms the
// running server raised; the CLI, given the test's QuestDB through QDB_HTTP/QDB_PG, prints the same report.
// Positioning snapshots, SOS, AI video events and heartbeats are read back as the engine's inputs.
import t from 'tap'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beijingIso, beijingTime, formatTable, mergeInstants, questDbHistory, readActualRaises, runBacktest } from '../../src/tools/backtest/index.js'
import type { EngineInput } from '../../src/4-evaluate/inputs.js'
import { loadRules } from '../../src/4-evaluate/load-rules.js'
import { startServices } from '../helpers/services.js'
import { buildTestApp } from '../helpers/app.js'
import { call, injectCall, postReadings, registerCoSite, type Reading } from '../helpers/api.js'
import { coRulesDir, ENGINE_ENV } from '../helpers/rules.js'
import { until } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SITE = 'BT-1'
const S = 1000

// QuestDB takes seconds to start: once for the file, each test on its own site.
const rulesDir = await coRulesDir(t, 'minewatch-backtest-rules-', '0s')
const services = await startServices(t)
const app = await buildTestApp(t, { qdb: services.qdb, nats: services.nats, env: { MINEWATCH_RULES_DIR: rulesDir, ...ENGINE_ENV } })
const api = injectCall(app)

t.test('backtest - stored readings replayed from QuestDB give the exact changes, and the CLI prints them', async (t) => {
  await registerCoSite(t, api, SITE, ['CO-101', 'CO-102'], { intervalS: 20 })

  // Ten minutes ago, on a whole second: CO-101 reads 10 then 30 ppm twice and falls silent after 40 s;
  // CO-102 reads 5 ppm every 20 s up to 200 s. One batch, as a gateway backfilling after an outage.
  const base = Math.floor(Date.now() / 1000) * 1000 - 600 * S
  const readings: Reading[] = [{ point: 'CO-101', ts: base, value: 10 }, { point: 'CO-101', ts: base + 20 * S, value: 30 }, { point: 'CO-101', ts: base + 40 * S, value: 30 }]
  for (let sec = 0; sec <= 200; sec += 20) readings.push({ point: 'CO-102', ts: base + sec * S, value: 5 })
  await postReadings(t, api, SITE, readings)

  // The running server raised the CO alarm and, the whole site being silent by then, one site alarm.
  const live = await until(async () => {
    const res = await call(app, 'GET', `/v1/alarms?state=all&site=${SITE}`, 'operator')
    return res.body?.alarms?.length >= 2 ? res.body.alarms as Array<{ ruleId: string }> : undefined
  }, 'the live alarms')
  t.same(live.map((a) => a.ruleId).sort(), ['connectivity.site.no_data', 'gas.co.limit'], 'what the server raised live')

  const rules = await loadRules(rulesDir)
  t.same(rules.errors, [])
  const range = { from: base, to: base + 300 * S, site: SITE }
  const reader = app.questdb.reader
  // pages of 3 readings: five pages, the instant at 20 s split across the first two
  const report = await runBacktest(questDbHistory(reader, { readingRows: 3 }), rules.rules, {
    ...range, offlineCheckMs: 5000, lateAfterMs: 60_000, actual: async (r) => await readActualRaises(reader, r)
  })
  t.same(report.lines.map((l) => [l.eventTs - base, l.ruleId, l.subject, l.from, l.to, l.category, l.foundAt - base]), [
    [20 * S, 'gas.co.limit', 'CO-101', null, 'yellow', 'over_limit', 20 * S],
    [100 * S, 'connectivity.point.no_data', 'CO-101', null, 'yellow', 'fault', 105 * S],
    [260 * S, 'connectivity.site.no_data', '*', null, 'orange', 'fault', 265 * S]
  ], 'the CO raise at its event time, CO-101 silent after 3 × 20 s, then the whole site')
  t.match(report.lines[0], { site: SITE, value: 30, limit: 24, hazardClause: null, message: /CO-101.*30 ppm/ })
  t.same([report.readings, report.inputs], [readings.length, 0])
  t.same(report.summary.filter((s) => s.raised > 0).map((s) => [s.ruleId, s.raised, s.maxLevel]), [
    ['connectivity.point.no_data', 1, 'yellow'], ['connectivity.site.no_data', 1, 'orange'], ['gas.co.limit', 1, 'yellow']
  ])
  // Live, the whole backfill arrived at once and the site was silent at the first check after it, so the
  // point alarm of CO-101 (silent 100 s before the site) was never raised: the replay shows it as new.
  t.same(report.comparison && {
    would: report.comparison.would,
    actual: report.comparison.actual,
    new: report.comparison.new.map((x) => [x.ruleId, x.subject, x.eventTs - base]),
    gone: report.comparison.gone
  }, { would: 3, actual: 2, new: [['connectivity.point.no_data', 'CO-101', 100 * S]], gone: [] })

  const cli = async (...args: string[]): Promise<string> => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import=tsx', 'src/tools/cli/backtest.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, QDB_HTTP: services.qdb.httpUrl, QDB_PG: services.qdb.pgUrl, MINEWATCH_OFFLINE_CHECK_MS: '5000', MINEWATCH_LATE_AFTER_S: '60' },
      timeout: 60_000
    })
    return stdout
  }
  const args = ['--from', beijingIso(base), '--to', String(base + 300 * S), '--site', SITE, '--rules', rulesDir]
  const table = (await cli(...args)).split('\n')
  const row = table.find((l) => l.includes('gas.co.limit') && l.includes('->'))
  t.match(row, new RegExp(`^${beijingTime(base + 20 * S)} +gas\\.co\\.limit +${SITE} +CO-101 +- -> yellow +over_limit +CO-101`), 'the CO raise, in Beijing time')
  t.ok(table.some((l) => l.startsWith(beijingTime(base + 100 * S)) && /connectivity\.point\.no_data +BT-1 +CO-101 +- -> yellow +fault/.test(l)), 'the point no-data')
  t.ok(table.some((l) => l.startsWith(beijingTime(base + 260 * S)) && /connectivity\.site\.no_data +BT-1 +\* +- -> orange +fault/.test(l)), 'the site no-data')
  t.same(table, [...formatTable(report), ''], 'the CLI prints the report the library built, line for line')

  const json = JSON.parse(await cli(...args, '--format', 'json', '--no-compare'))
  t.same(json.lines.map((l: { ruleId: string, eventTs: { beijing: string } }) => [l.ruleId, l.eventTs.beijing]), [
    ['gas.co.limit', beijingIso(base + 20 * S)], ['connectivity.point.no_data', beijingIso(base + 100 * S)], ['connectivity.site.no_data', beijingIso(base + 260 * S)]
  ])
  t.equal(json.comparison, undefined, '--no-compare leaves the stored alarms out')
})

t.test('backtest - positioning snapshots, SOS, AI video events and heartbeats are read back as engine inputs in event-time order', async (t) => {
  const site = 'BT-2'
  const base = Math.floor(Date.now() / 1000) * 1000 - 600 * S
  const ok = async (method: 'POST' | 'PUT', url: string, role: 'admin' | 'gateway', body: unknown): Promise<void> => {
    const res = await call(app, method, url, role, body)
    t.equal(res.status, 200, `${method} ${url}`)
  }
  await ok('PUT', `/v1/sites/${site}`, 'admin', { name: site, kind: 'underground', status: 'producing' })
  await ok('PUT', `/v1/sites/${site}/video/channels`, 'admin', [{ channelCode: 'V01', name: '主井口' }])
  await ok('POST', `/v1/sites/${site}/personnel`, 'gateway', {
    ts: beijingIso(base + 10 * S),
    people: [{ card: 'C0001', name: '张三', role: 'leader', area: 'A3', enteredAt: beijingIso(base) }, { card: 'C0002', role: 'worker' }]
  })
  await ok('POST', '/v1/video/heartbeats', 'gateway', { siteCode: site, ts: base + 15 * S, channels: [{ channelCode: 'V01', online: false }] })
  await ok('POST', `/v1/sites/${site}/personnel/events`, 'gateway', { type: 'sos', card: 'C0002', ts: base + 20 * S, area: 'A3' })
  const sha = 'ab'.repeat(32)
  await ok('POST', '/v1/video/events', 'gateway', {
    siteCode: site, events: [{ channel: 'V01', ts: base + 25 * S, type: 'intrusion', confidence: 0.9, count: 2, evidence: { sha256: sha, url: 'https://example.org/e.jpg' } }]
  })
  await ok('POST', `/v1/sites/${site}/personnel`, 'gateway', { ts: base + 30 * S, people: [] })

  const reader = app.questdb.reader
  const source = questDbHistory(reader, { snapshotRows: 1, inputRows: 1 })
  const range = { from: base, to: base + 60 * S, site }
  const registry = await source.registry(range)
  t.same([registry.sites.map((x) => x.code), registry.points, registry.channels.map((c) => [c.site, c.code, c.name])], [[site], [], [[site, 'V01', '主井口']]],
    'only the site asked for, with its channels')
  const got: EngineInput[] = []
  for await (const instant of mergeInstants(source.streams(range))) {
    t.same(instant.readings, [])
    got.push(...instant.inputs)
  }
  const at = (sec: number): number => base + sec * S
  t.match(got, [
    { type: 'personnel', receivedAt: at(10), snapshot: { site, ts: at(10), headcount: 2, leaders: 1, people: [{ card: 'C0001', name: '张三', role: 'leader', area: 'A3', enteredAt: base }, { card: 'C0002', role: 'worker' }] } },
    { type: 'video_heartbeat', heartbeat: { site, channel: 'V01', online: false, ts: at(15), receivedAt: Number } },
    { type: 'sos', event: { site, type: 'sos', card: 'C0002', area: 'A3', ts: at(20), receivedAt: Number } },
    { type: 'video_event', event: { site, channel: 'V01', type: 'intrusion', ts: at(25), confidence: 0.9, count: 2, evidenceSha256: sha, evidenceUrl: 'https://example.org/e.jpg', receivedAt: Number } },
    { type: 'personnel', receivedAt: at(30), snapshot: { site, ts: at(30), headcount: 0, leaders: 0, people: [] } }
  ])
  t.equal(got.length, 5, 'each stored input once')
  const person2 = got[0]?.type === 'personnel' ? got[0].snapshot.people[1] : undefined
  t.same(person2, { card: 'C0002', role: 'worker' }, 'absent fields stay absent')
})
