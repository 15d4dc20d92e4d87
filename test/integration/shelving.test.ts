// Shelving and escalation against real NATS and QuestDB: an operator shelves a yellow alarm alone, but a red one
// only with a second person, a logged-in supervisor who is not the one asking (the shelving floor); a shelf is
// published, listed and audited; an alarm left unacknowledged past its level's deadline is escalated on NATS.
import t from 'tap'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { createTestUser, login } from '../helpers/users.js'
import { until } from '../helpers/wait.js'
import { call } from '../helpers/api.js'
import { AlarmWatch } from '../helpers/alarm-watch.js'
import { coRulesDir, ENGINE_ENV } from '../helpers/rules.js'

const svc = await startServices(t)
const app = await buildTestApp(t, {
  qdb: svc.qdb,
  nats: svc.nats,
  env: {
    MINEWATCH_RULES_DIR: await coRulesDir(t, 'minewatch-shelving-rules-', '0s'),
    MINEWATCH_SHELVE_MAX: '2h',
    // a yellow alarm left alone is escalated after 2 s, twice at most
    MINEWATCH_RESPONSE_DEADLINE_YELLOW: '2s',
    MINEWATCH_ESCALATION_MAX: '2',
    ...ENGINE_ENV
  }
})
const PASSWORD = 'shelving-2026-secret'
for (const [username, role] of [['op1', 'operator'], ['sup1', 'supervisor'], ['sup2', 'supervisor']] as const) {
  await createTestUser(app, { username, password: PASSWORD, role, sites: ['*'] })
}
const cookies = Object.fromEntries(await Promise.all(['op1', 'sup1', 'sup2'].map(async (u) => [u, (await login(app, u, PASSWORD)).cookie])))
const watch = await AlarmWatch.open(svc.nats.url)
t.teardown(() => watch.close())

const SITE = 'SHV-1'
const co = (code: string): Record<string, unknown> => ({ pointCode: code, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60 })
for (const [url, body] of [[`/v1/sites/${SITE}`, { name: '搁置测试矿', kind: 'underground', status: 'producing' }], [`/v1/sites/${SITE}/points`, [co('CO-1'), co('CO-2'), co('CO-3')]]] as const) {
  const res = await call(app, 'PUT', url, 'admin', body)
  if (res.status !== 200) throw new Error(`PUT ${url} answered ${res.status}`)
}
const post = async (who: string, url: string, body: unknown = {}): Promise<{ status: number, body: any }> => {
  const res = await app.inject({ method: 'POST', url, headers: { cookie: cookies[who] ?? '' }, payload: body as Record<string, unknown> })
  return { status: res.statusCode, body: res.json() }
}
const raise = async (point: string, value: number): Promise<string> => {
  const res = await call(app, 'POST', '/v1/readings', 'gateway', { siteCode: SITE, readings: [{ point, ts: Date.now() - 1000, value }] })
  if (res.status !== 200) throw new Error(`readings answered ${res.status}`)
  return (await until(async () => watch.forSite(SITE).find((m) => m.body.transition === 'raised' && m.body.points[0] === point), `${point} raised`)).body.alarmId
}

t.test('shelving - an unacknowledged yellow alarm is escalated at each deadline, on NATS, up to the cap', async (t) => {
  const id = await raise('CO-3', 30)
  const overdue = await until(async () => {
    const m = watch.of(id).filter((s) => s.body.transition === 'response_overdue')
    return m.length >= 2 ? m : undefined
  }, 'two escalations', 20_000)
  t.same(overdue.map((m) => m.body.escalation), [1, 2])
  t.ok(overdue.every((m) => m.subject === `minewatch.alarm.${SITE}.over_limit.yellow`), 'on the alarm\'s own subject')
  t.ok(Date.parse(overdue[0]?.body.detectedAt ?? '') - Date.parse(overdue[0]?.body.raisedAt ?? '') >= 2000, 'not before the 2 s deadline')
  await new Promise((resolve) => setTimeout(resolve, 2500))
  t.equal(watch.of(id).filter((s) => s.body.transition === 'response_overdue').length, 2, 'capped at MINEWATCH_ESCALATION_MAX')
  t.equal((await post('op1', `/v1/alarms/${id}/ack`)).status, 200)
})

t.test('shelving - an operator shelves a yellow alarm alone; it is published with its shelf, and unshelved', async (t) => {
  const id = await raise('CO-1', 30)
  const bad = await post('op1', `/v1/alarms/${id}/shelve`, { reason: '标校', minutes: 121 })
  t.equal(bad.status, 400, 'longer than MINEWATCH_SHELVE_MAX')
  t.match(bad.body, { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/minutes' }] })
  t.match((await post('op1', `/v1/alarms/${id}/shelve`, { minutes: 30 })).body, { details: [{ path: '/reason' }] })
  const ok = await post('op1', `/v1/alarms/${id}/shelve`, { reason: '传感器标校', minutes: 30 })
  t.equal(ok.status, 200)
  const shelved = await until(async () => watch.of(id).find((m) => m.body.transition === 'shelved'), 'shelved on NATS')
  t.match(shelved.body, { by: 'op1', shelf: { by: 'op1', reason: '传感器标校' } })
  t.equal((await post('op1', `/v1/alarms/${id}/shelve`, { reason: 'again', minutes: 5 })).status, 409, 'already shelved')
  const listed = (await call(app, 'GET', `/v1/alarms?site=${SITE}`, 'operator')).body.alarms.find((a: any) => a.alarmId === id)
  t.match(listed, { shelf: { reason: '传感器标校' } }, 'the list shows the shelf and why')
  t.equal((await post('op1', `/v1/alarms/${id}/unshelve`, { note: '标校完成' })).status, 200)
  await until(async () => watch.of(id).find((m) => m.body.transition === 'unshelved'), 'unshelved on NATS')
})

t.test('shelving - a red alarm needs a second person: an operator asks, a supervisor (not the asker) approves', async (t) => {
  const id = await raise('CO-2', 200)
  const asked = await post('op1', `/v1/alarms/${id}/shelve`, { reason: '误报核实中', minutes: 15 })
  t.equal(asked.status, 202, 'a request, not a shelf')
  t.match(asked.body.request, { alarmId: id, by: 'op1', minutes: 15 })
  t.notOk(watch.of(id).some((m) => m.body.transition === 'shelved'), 'nothing shelved yet')
  const pending = await app.inject({ method: 'GET', url: '/v1/shelve-requests', headers: { cookie: cookies.op1 ?? '' } })
  t.match(pending.json().requests, [{ alarmId: id, reason: '误报核实中' }])
  t.equal((await post('op1', `/v1/alarms/${id}/shelve/approve`)).status, 403, 'an operator cannot approve')
  const byToken = await app.inject({ method: 'POST', url: `/v1/alarms/${id}/shelve/approve`, headers: auth('admin'), payload: {} })
  t.equal(byToken.statusCode, 403, 'an approval is a person\'s, not a token\'s')

  const own = await post('sup1', `/v1/alarms/${id}/shelve`, { reason: '带班领导自己申请', minutes: 10 })
  t.equal(own.status, 202, 'a supervisor asking is one person too')
  t.equal((await post('sup1', `/v1/alarms/${id}/shelve/approve`)).status, 409, 'nobody approves their own request')
  const approved = await post('sup2', `/v1/alarms/${id}/shelve/approve`)
  t.equal(approved.status, 200)
  const shelved = await until(async () => watch.of(id).find((m) => m.body.transition === 'shelved'), 'shelved on NATS')
  t.match(shelved.body, { level: 'red', shelf: { by: 'sup1', approvedBy: 'sup2' } })
  t.same((await app.inject({ method: 'GET', url: '/v1/shelve-requests', headers: auth('admin') })).json().requests, [], 'the request is gone')
  const audit = await until(async () => {
    const r = (await app.inject({ method: 'GET', url: `/v1/audit?alarm=${id}&action=shelve`, headers: auth('admin') })).json().records as any[]
    return r.length >= 3 ? r : undefined
  }, 'the shelving audited')
  t.same(audit.map((r) => [r.actor, r.outcome]).sort(), [['op1', 'requested'], ['sup1', 'requested'], ['sup2', 'ok']])
})
