// Maintenance windows against real NATS (the windows' bucket, the published alarms) and QuestDB (audit): only a
// supervisor opens one, bad windows get a 400 naming the field, an alarm raised on a named point inside the
// window is raised shelved (published with the window's id), another point still sounds, red still sounds, an
// alarm already open when a window opens is shelved by it, and ending the window early takes its shelves off.
import t from 'tap'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { createTestUser, login } from '../helpers/users.js'
import { until } from '../helpers/wait.js'
import { call } from '../helpers/api.js'
import { AlarmWatch } from '../helpers/alarm-watch.js'
import { coRulesDir, ENGINE_ENV } from '../helpers/rules.js'

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats, env: { MINEWATCH_RULES_DIR: await coRulesDir(t, 'minewatch-maint-rules-', '0s'), MINEWATCH_MAINTENANCE_MAX: '4h', ...ENGINE_ENV } })
const PASSWORD = 'maintenance-2026-secret'
await createTestUser(app, { username: 'sup', password: PASSWORD, role: 'supervisor', sites: ['*'] })
await createTestUser(app, { username: 'op', password: PASSWORD, role: 'operator', sites: ['*'] })
await createTestUser(app, { username: 'sup2', password: PASSWORD, role: 'supervisor', sites: ['*'] })
const sup = await login(app, 'sup', PASSWORD)
const op = await login(app, 'op', PASSWORD)
const watch = await AlarmWatch.open(svc.nats.url)
t.teardown(() => watch.close())

const SITE = 'MNT-1'
const co = (code: string): Record<string, unknown> => ({ pointCode: code, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60 })
for (const [url, body] of [[`/v1/sites/${SITE}`, { name: '检修测试矿', kind: 'underground', status: 'producing' }], [`/v1/sites/${SITE}/points`, [co('CO-1'), co('CO-2'), co('CO-3'), co('CO-4')]]] as const) {
  const res = await call(app, 'PUT', url, 'admin', body)
  if (res.status !== 200) throw new Error(`PUT ${url} answered ${res.status}`)
}

const open = async (cookie: string, body: unknown): Promise<{ status: number, body: any }> => {
  const res = await app.inject({ method: 'POST', url: `/v1/sites/${SITE}/maintenance`, headers: { cookie }, payload: body as Record<string, unknown> })
  return { status: res.statusCode, body: res.json() }
}
const raise = async (t: { equal: (a: unknown, b: unknown) => unknown }, point: string, value: number): Promise<any> => {
  t.equal((await call(app, 'POST', '/v1/readings', 'gateway', { siteCode: SITE, readings: [{ point, ts: Date.now() - 1000, value }] })).status, 200)
  return (await until(async () => watch.forSite(SITE).find((m) => m.body.transition === 'raised' && m.body.points[0] === point), `${point} raised`)).body
}
const inHours = (h: number): string => new Date(Date.now() + h * 3_600_000).toISOString()

t.test('maintenance - only a supervisor opens a window; a bad one gets a 400 naming the field', async (t) => {
  t.equal((await open(op.cookie, { until: inHours(1), reason: '标校' })).status, 403, 'an operator may not')
  for (const [body, path] of [
    [{ until: inHours(1) }, '/reason'],
    [{ until: inHours(1), reason: '   ' }, '/reason'],
    [{ until: 'tomorrow', reason: 'x' }, '/until'],
    [{ until: inHours(5), reason: 'x' }, '/until'],
    [{ until: inHours(-1), reason: 'x' }, '/until'],
    [{ from: inHours(-2), until: inHours(1), reason: 'x' }, '/from'],
    [{ until: inHours(1), reason: 'x', points: ['CO-1', 'NOPE'] }, '/points/1'],
    [{ until: inHours(1), reason: 'x', points: Array.from({ length: 1001 }, () => 'CO-1') }, '/points'],
    [{ until: inHours(1), reason: 'x', extra: 1 }, '/extra']
  ] as const) {
    const res = await open(sup.cookie, body)
    t.equal(res.status, 400, `${JSON.stringify(body).slice(0, 80)} → 400`)
    t.match(res.body, { error: 'MW_ERR_INVALID_BODY', details: [{ path }] })
  }
  const other = await app.inject({ method: 'POST', url: '/v1/sites/NOT-THERE/maintenance', headers: { cookie: sup.cookie }, payload: { until: inHours(1), reason: 'x' } })
  t.equal(other.statusCode, 404)
})

t.test('maintenance - inside a window a named point\'s alarm is raised shelved; another point and red still sound', async (t) => {
  const w = await open(sup.cookie, { points: ['CO-1'], until: inHours(1), reason: '传感器标校' })
  t.equal(w.status, 201)
  t.match(w.body, { siteCode: SITE, points: ['CO-1'], state: 'active', by: 'sup', includeRed: false, reason: '传感器标校' })
  const held = await raise(t, 'CO-1', 30)
  t.match(held.shelf, { by: 'maintenance', maintenance: w.body.id, reason: new RegExp(`${w.body.id as string}：传感器标校`) }, 'published shelved, with the window')
  const free = await raise(t, 'CO-2', 30)
  t.notOk('shelf' in free, 'a point the window does not name sounds')
  const listed = await app.inject({ method: 'GET', url: `/v1/maintenance?site=${SITE}&state=active`, headers: auth('operator') })
  t.match(listed.json().windows, [{ id: w.body.id, state: 'active' }], 'the board lists the active window')
  const alarms = (await call(app, 'GET', `/v1/alarms?site=${SITE}`, 'operator')).body.alarms
  t.match(alarms.find((a: any) => a.alarmId === held.alarmId), { shelf: { maintenance: w.body.id } }, 'nothing is hidden: the alarm list shows it shelved and why')
  t.equal((await call(app, 'POST', '/v1/readings', 'gateway', { siteCode: SITE, readings: [{ point: 'CO-1', ts: Date.now() - 500, value: 200 }] })).status, 200)
  const red = await until(async () => watch.of(held.alarmId).find((m) => m.body.level === 'red'), 'CO-1 rises to red')
  t.equal(red.body.transition, 'escalated')
  t.notOk('shelf' in red.body, 'the rise to red takes the window\'s shelf off: the window does not name red')
})

t.test('maintenance - a window shelves what is already open; ending it early takes its shelves off; both audited', async (t) => {
  const a = await raise(t, 'CO-3', 30)
  t.notOk('shelf' in a)
  const w = await open(sup.cookie, { points: ['CO-3'], until: inHours(2), reason: '更换探头' })
  t.equal(w.status, 201)
  const shelved = await until(async () => watch.of(a.alarmId).find((m) => m.body.transition === 'shelved'), 'shelved by the window')
  t.match(shelved.body, { by: 'maintenance', shelf: { maintenance: w.body.id } })
  const ended = await app.inject({ method: 'DELETE', url: `/v1/maintenance/${w.body.id as string}`, headers: { cookie: sup.cookie } })
  t.equal(ended.statusCode, 200)
  t.match(ended.json(), { state: 'ended', endedBy: 'sup' })
  const unshelved = await until(async () => watch.of(a.alarmId).find((m) => m.body.transition === 'unshelved'), 'unshelved at the early end')
  t.equal(unshelved.body.by, 'sup')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/maintenance/${w.body.id as string}`, headers: { cookie: sup.cookie } })).statusCode, 409, 'not twice')
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/maintenance/NOPE', headers: { cookie: sup.cookie } })).statusCode, 404)
  const audit = await until(async () => {
    const r = (await app.inject({ method: 'GET', url: `/v1/audit?site=${SITE}`, headers: auth('admin') })).json().records as any[]
    const mine = r.filter((x) => x.target === w.body.id)
    return mine.length >= 2 ? mine : undefined
  }, 'the window audited')
  t.same(audit.map((r) => r.action).sort(), ['maintenance', 'maintenance_end'])
  t.ok(audit.every((r) => r.actor === 'sup'))
})

t.test('maintenance - a window that holds red does so only once a second supervisor approved it', async (t) => {
  const w = await open(sup.cookie, { points: ['CO-4'], until: inHours(2), reason: '主扇停机检修', includeRed: true })
  t.equal(w.status, 201)
  t.match(w.body, { includeRed: true, redApprovedBy: null }, 'waiting for the second person')
  const red = await raise(t, 'CO-4', 200)
  t.equal(red.level, 'red')
  t.notOk(red.shelf, 'a red alarm is not held before the approval')
  const approve = async (headers: Record<string, string>): Promise<{ statusCode: number, json: () => any }> => await app.inject({ method: 'POST', url: `/v1/maintenance/${w.body.id as string}/approve`, headers })
  t.equal((await approve({ cookie: sup.cookie })).statusCode, 409, 'not by the one who opened it')
  t.equal((await approve({ cookie: op.cookie })).statusCode, 403, 'not by an operator')
  t.equal((await approve(auth('admin'))).statusCode, 403, 'not by a token')
  const sup2 = await login(app, 'sup2', PASSWORD)
  const ok = await approve({ cookie: sup2.cookie })
  t.equal(ok.statusCode, 200)
  t.match(ok.json(), { redApprovedBy: 'sup2' })
  const shelved = await until(async () => watch.of(red.alarmId).find((m) => m.body.transition === 'shelved'), 'the open red alarm held once approved')
  t.match(shelved.body.shelf, { by: 'maintenance', approvedBy: 'sup2', maintenance: w.body.id })
  t.equal((await approve({ cookie: sup2.cookie })).statusCode, 409, 'approved once')
})
