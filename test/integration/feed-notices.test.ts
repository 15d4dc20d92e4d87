// live feed - what a long-lived stream must not keep, and what it tells besides alarms: a logout or a disabled
// account ends the stream within the recheck period, a narrower scope applies to the next message; maintenance
// windows and red shelve requests arrive as `maintenance` and `shelve-request` events (no id: hints that a
// list changed) to the watchers of their site only. Real QuestDB and nats-server.
import t from 'tap'
import type { AlarmMessage } from '../../src/contract/index.js'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { injectCall, registerCoSite } from '../helpers/api.js'
import { createTestUser, login } from '../helpers/users.js'
import { SseClient } from '../helpers/sse.js'
import { until } from '../helpers/wait.js'
import { change } from '../unit/5-alarm/fixtures.js'

const PASSWORD = 'Feed-Notice-Pass-2026'
const SITE = 'NOTE-1'
const OTHER = 'NOTE-2'

t.test('live feed - rechecks and notices against real services', async (t) => {
  const svc = await startServices(t)
  const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats, env: { MINEWATCH_STREAM_RECHECK_S: '1', MINEWATCH_STREAM_HEARTBEAT_S: '1', MINEWATCH_STREAM_MAX_PER_CALLER: '2' } })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const api = injectCall(app)
  await registerCoSite(t, api, SITE, ['CO-1'])
  await registerCoSite(t, api, OTHER, ['CO-1'])
  for (const [username, role, sites] of [['op-both', 'operator', [SITE, OTHER]], ['op-gone', 'operator', ['*']], ['sup-n', 'supervisor', ['*']], ['op-other', 'operator', [OTHER]], ['op-cap', 'operator', ['*']]] as const) {
    await createTestUser(app, { username, password: PASSWORD, role, sites: [...sites] })
  }
  const open = async (headers: Record<string, string>): Promise<SseClient> => {
    const c = await SseClient.open(`${base}/v1/stream`, { headers })
    t.teardown(async () => await c.close())
    await c.until((x) => x.named('ready').length === 1, 'ready')
    return c
  }
  const session = async (username: string): Promise<string> => {
    const s = await login(app, username, PASSWORD)
    if (s.status !== 200) throw new Error(`login ${username}: ${s.status}`)
    return s.cookie
  }
  let n = 0
  const raise = async (site: string, level: 'red' | 'yellow' = 'yellow'): Promise<string> => {
    const point = `P${++n}`
    await app.alarms.onCondition(change(level, { key: `gas.co.limit|${site}|${point}`, siteCode: site, points: [point], eventTs: Date.now() }))
    return point
  }
  const seen = (c: SseClient, point: string): boolean => c.named<AlarmMessage>('alarm').some((e) => e.data.points[0] === point)

  t.test('feed - logging out ends the stream within the recheck period', async (t) => {
    const cookie = await session('op-gone')
    const c = await open({ cookie })
    const out = await app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie } })
    t.equal(out.statusCode, 204, 'logged out')
    const started = Date.now()
    await c.ended
    t.ok(Date.now() - started < 5000, `the stream ended ${Date.now() - started} ms after the logout (recheck 1 s)`)
  })

  t.test('feed - a disabled account loses its stream; a token keeps its own', async (t) => {
    const cookie = await session('op-both')
    const c = await open({ cookie })
    const token = await open(auth('operator'))
    await app.users.put('op-both', { displayName: 'op-both', role: 'operator', sites: [SITE, OTHER], disabled: true })
    await c.ended
    t.pass('the disabled person\'s stream ended')
    const point = await raise(SITE)
    await token.until((x) => seen(x, point), 'the token\'s stream goes on')
    await app.users.put('op-both', { displayName: 'op-both', role: 'operator', sites: [SITE, OTHER], disabled: false })
  })

  t.test('feed - a narrower scope applies to the next messages of an open stream', async (t) => {
    const cookie = await session('op-both')
    const c = await open({ cookie })
    const before = await raise(SITE)
    await c.until((x) => seen(x, before), `an alarm of ${SITE} while in scope`)
    await app.users.put('op-both', { displayName: 'op-both', role: 'operator', sites: [OTHER] })
    await new Promise((resolve) => setTimeout(resolve, 2500)) // two recheck periods
    const hidden = await raise(SITE)
    const shown = await raise(OTHER)
    await c.until((x) => seen(x, shown), `an alarm of ${OTHER}`)
    t.notOk(seen(c, hidden), `no alarm of ${SITE} once it left the scope`)
    t.notOk(c.finished, 'the stream stays open')
  })

  t.test('feed - one caller holds at most MINEWATCH_STREAM_MAX_PER_CALLER feeds; closing one frees its place', async (t) => {
    const cookie = await session('op-cap')
    const first = await open({ cookie })
    await open({ cookie: await session('op-cap') })
    const third = await SseClient.open(`${base}/v1/stream`, { headers: { cookie } })
    t.same([third.status, (third.errorBody as { error?: string }).error], [429, 'MW_ERR_TOO_MANY_STREAMS'], 'a third feed of the same person (another session too) is refused')
    await first.close()
    await until(async () => (await SseClient.open(`${base}/v1/stream`, { headers: { cookie } }).then(async (c) => { t.teardown(async () => await c.close()); return c.status === 200 ? true : undefined })), 'a place freed')
    t.pass('once one closed, another opens')
  })

  t.test('feed - maintenance windows and red shelve requests arrive as notices, to their site\'s watchers only', async (t) => {
    const sup = await session('sup-n')
    const all = await open({ cookie: sup })
    const other = await open({ cookie: await session('op-other') })
    const untilIso = new Date(Date.now() + 3_600_000).toISOString()
    const w = await app.inject({ method: 'POST', url: `/v1/sites/${SITE}/maintenance`, headers: { cookie: sup }, payload: { until: untilIso, reason: '主扇检修' } })
    t.equal(w.statusCode, 201, 'window opened')
    const windowOf = (x: SseClient): any => x.named<any>('maintenance').find((e) => e.data.id === w.json().id)
    await all.until((x) => windowOf(x) !== undefined, 'the maintenance notice')
    const m = windowOf(all)
    t.match(m.data, { siteCode: SITE, reason: '主扇检修', state: 'active', until: w.json().until }, 'the window as GET /v1/maintenance lists it')
    t.equal(m.id, undefined, 'a notice carries no event id (the resume point stays the streams\')')

    const point = await raise(SITE, 'red')
    await all.until((x) => seen(x, point), 'the red alarm')
    const alarmId = all.named<AlarmMessage>('alarm').find((e) => e.data.points[0] === point)?.data.alarmId ?? ''
    // the window covers yellow and below unless includeRed: the red alarm stays open and may be asked to be shelved
    const op = await session('op-gone')
    const ask = await app.inject({ method: 'POST', url: `/v1/alarms/${alarmId}/shelve`, headers: { cookie: op }, payload: { reason: '误报核实', minutes: 20 } })
    t.equal(ask.statusCode, 202, 'asked')
    const askedOf = (x: SseClient): any => x.named<any>('shelve-request').find((e) => e.data.alarmId === alarmId && e.data.waiting === true)
    await all.until((x) => askedOf(x) !== undefined, 'the request notice')
    t.match(askedOf(all).data, { siteCode: SITE, by: 'op-gone', reason: '误报核实', minutes: 20 }, 'who asked, why and for how long')
    const ok = await app.inject({ method: 'POST', url: `/v1/alarms/${alarmId}/shelve/approve`, headers: { cookie: sup }, payload: {} })
    t.equal(ok.statusCode, 200, 'approved')
    await all.until((x) => x.named<any>('shelve-request').some((e) => e.data.alarmId === alarmId && e.data.waiting === false), 'the settled notice')
    const end = await app.inject({ method: 'DELETE', url: `/v1/maintenance/${w.json().id as string}`, headers: { cookie: sup } })
    t.equal(end.statusCode, 200, 'window ended')
    await all.until((x) => x.named<any>('maintenance').some((e) => e.data.id === w.json().id && e.data.state === 'ended'), 'the ended notice')

    await raise(OTHER)
    await other.until((x) => x.named('alarm').length > 0, 'the other site\'s watcher hears its own site')
    t.same(other.named('maintenance').length + other.named('shelve-request').length, 0, `nothing of ${SITE} reached a watcher of ${OTHER} only`)
  })
})
