// scope - a person (or token) limited to one region sees and handles nothing of another site, on every route of
// the duty room: each answer is the same as for an alarm, window or site that does not exist (404) or a plain
// refusal (403), never the data; a viewer acts on nothing; with the same calls the in-scope person succeeds,
// so an empty or refused answer is scope, not an empty store. Real QuestDB and nats-server.
import t from 'tap'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { injectCall, registerCoSite } from '../helpers/api.js'
import { createTestUser, login } from '../helpers/users.js'
import { change } from '../unit/5-alarm/fixtures.js'

const PASSWORD = 'Scope-Check-Pass-2026'
const MINE = 'SCP-A'
const THEIRS = 'SCP-B'

t.test('scope - against real services', async (t) => {
  const svc = await startServices(t)
  const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
  const api = injectCall(app)
  await registerCoSite(t, api, MINE, ['CO-1'])
  await registerCoSite(t, api, THEIRS, ['CO-1'])
  for (const [username, role, sites] of [['op.a', 'operator', [MINE]], ['sup.a', 'supervisor', [MINE]], ['sup.b', 'supervisor', [THEIRS]], ['viewer.all', 'viewer', ['*']]] as const) {
    await createTestUser(app, { username, password: PASSWORD, role, sites: [...sites] })
  }
  const cookie = async (u: string): Promise<string> => (await login(app, u, PASSWORD)).cookie
  const [opA, supA, supB, viewer] = await Promise.all(['op.a', 'sup.a', 'sup.b', 'viewer.all'].map(cookie)) as [string, string, string, string]
  const as = (c: string) => async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object): Promise<{ status: number, body: any }> => {
    const res = await app.inject({ method, url, headers: { cookie: c }, ...(payload === undefined ? {} : { payload }) })
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json() }
  }
  const a = as(opA)
  const boss = as(supB)
  // an alarm of their site, red (so a shelve is a request), and a maintenance window there
  await app.alarms.onCondition(change('red', { key: `gas.co.limit|${THEIRS}|CO-1`, siteCode: THEIRS, points: ['CO-1'], eventTs: Date.now() }))
  const theirs = (await app.alarms.list({ site: THEIRS, limit: 10 }))[0]?.alarmId ?? ''
  t.ok(theirs !== '', 'their alarm exists')
  const asked = await boss('POST', `/v1/alarms/${theirs}/shelve`, { reason: '检修', minutes: 30 })
  t.equal(asked.status, 202, 'their supervisor asks to shelve it')
  const window = await boss('POST', `/v1/sites/${THEIRS}/maintenance`, { until: new Date(Date.now() + 3_600_000).toISOString(), reason: '检修', includeRed: true })
  t.equal(window.status, 201)
  await app.inject({ method: 'PUT', url: `/v1/sites/${THEIRS}/roster`, headers: auth('admin'), payload: { shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '00:00', contacts: [{ name: 'B', channels: [{ kind: 'webhook', url: 'http://127.0.0.1:9/x' }] }] }] } })

  await t.test('scope - every route refuses another region\'s alarm, window and site', async (t) => {
    const refused = [
      ['GET', `/v1/alarms/${theirs}`], ['POST', `/v1/alarms/${theirs}/ack`, {}], ['POST', `/v1/alarms/${theirs}/dispatch`, { assignee: 'x' }],
      ['POST', `/v1/alarms/${theirs}/close`, { disposition: 'other' }], ['POST', `/v1/alarms/${theirs}/shelve`, { reason: 'r', minutes: 5 }],
      ['POST', `/v1/alarms/${theirs}/shelve/approve`, {}], ['POST', `/v1/alarms/${theirs}/unshelve`, {}],
      ['GET', `/v1/alarms/${theirs}/evidence`], ['GET', `/v1/alarms/${theirs}/notifications`],
      ['GET', `/v1/sites/${THEIRS}/link`], ['GET', `/v1/sites/${THEIRS}/roster`], ['GET', `/v1/sites/${THEIRS}/risk`],
      ['GET', `/v1/sites/${THEIRS}/points/CO-1/readings`], ['DELETE', `/v1/maintenance/${window.body.id as string}`],
      ['POST', `/v1/maintenance/${window.body.id as string}/approve`, {}], ['POST', `/v1/sites/${THEIRS}/maintenance`, { until: new Date(Date.now() + 3_600_000).toISOString(), reason: 'x' }],
      ['POST', '/v1/console/mute', { minutes: 5, site: THEIRS }], ['DELETE', `/v1/console/mute?site=${THEIRS}`],
      ['GET', `/v1/alarms?site=${THEIRS}`], ['GET', `/v1/audit?site=${THEIRS}`]
    ] as const
    for (const [method, url, body] of refused) {
      const who = method === 'POST' && (url.includes('/maintenance') || url.endsWith('/approve')) ? as(supA) : a
      const res = await who(method, url, body)
      t.ok(res.status === 403 || res.status === 404, `${method} ${url}: ${res.status}`)
      t.notOk(JSON.stringify(res.body ?? '').includes('"siteCode":"SCP-B"'), `${method} ${url} tells nothing of the site`)
    }
  })

  await t.test('scope - lists leave another region out; the same lists show it to its own supervisor', async (t) => {
    for (const url of ['/v1/alarms', '/v1/shelve-requests', '/v1/maintenance', '/v1/floods', '/v1/risk', '/v1/audit']) {
      const mine = JSON.stringify((await a('GET', url)).body)
      const theirsSeen = JSON.stringify((await boss('GET', url)).body)
      t.notOk(mine.includes(THEIRS), `${url} shows nothing of ${THEIRS} to the other region`)
      if (['/v1/alarms', '/v1/shelve-requests', '/v1/maintenance'].includes(url)) t.ok(theirsSeen.includes(THEIRS), `${url} shows it to its own supervisor`)
    }
  })

  await t.test('scope - a viewer of every site sees but acts on nothing', async (t) => {
    const v = as(viewer)
    t.equal((await v('GET', `/v1/alarms/${theirs}`)).status, 200, 'sees')
    for (const [method, url, body] of [['POST', `/v1/alarms/${theirs}/ack`, {}], ['POST', `/v1/alarms/${theirs}/dispatch`, { assignee: 'x' }], ['POST', `/v1/alarms/${theirs}/close`, { disposition: 'other' }], ['POST', `/v1/alarms/${theirs}/shelve`, { reason: 'r', minutes: 5 }], ['POST', '/v1/console/mute', { minutes: 5 }], ['PUT', `/v1/sites/${THEIRS}/roster`, { shifts: [] }], ['DELETE', `/v1/maintenance/${window.body.id as string}`]] as const) {
      t.equal((await v(method, url, body)).status, 403, `${method} ${url}`)
    }
    t.equal((await app.alarms.find(theirs))?.state, 'open', 'and the alarm is as it was')
  })
})
