// Authentication and authorisation over HTTP (access standard sections 1 and 8): 401 without a valid bearer
// token, 403 for a valid token with the wrong role or site, public /health and /metrics. The app needs real
// QuestDB and nats-server to boot, so they are started once for the file.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp, TOKENS } from '../helpers/app.js'
import { until } from '../helpers/wait.js'

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })

const SITE = 'AU-X'

async function call (method: 'GET' | 'PUT' | 'POST', url: string, headers: Record<string, string> = {}, payload?: object): Promise<LightMyRequestResponse> {
  return await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
}

const reading = (value: number) => ({ siteCode: SITE, readings: [{ point: 'CO-1', ts: Date.now() - 1000, value }] })

// Site X with one CO point, and an alarm on it (CO 30 ppm is over the default 24 ppm limit).
t.before(async () => {
  const site = await call('PUT', `/v1/sites/${SITE}`, auth('admin'), { name: '权限测试矿', kind: 'underground', status: 'producing' })
  if (site.statusCode !== 200) throw new Error(`PUT site: ${site.body}`)
  const points = await call('PUT', `/v1/sites/${SITE}/points`, auth('admin'),
    [{ pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 3600 }])
  if (points.statusCode !== 200) throw new Error(`PUT points: ${points.body}`)
})

t.test('auth - no token → 401 MW_ERR_UNAUTHORIZED', async (t) => {
  for (const [method, url] of [['GET', '/v1/sites'], ['GET', `/v1/sites/${SITE}`], ['POST', '/v1/readings'], ['GET', '/v1/alarms'], ['PUT', `/v1/sites/${SITE}`]] as const) {
    const res = await call(method, url, {}, method === 'GET' ? undefined : {})
    t.equal(res.statusCode, 401, `${method} ${url}`)
    t.match(res.json(), { error: 'MW_ERR_UNAUTHORIZED', message: String })
  }
})

t.test('auth - a wrong or malformed token → 401', async (t) => {
  const headers = [
    { authorization: 'Bearer not-a-known-token-0123456789' },
    { authorization: `Bearer ${TOKENS.admin}x` },
    { authorization: `Bearer ${TOKENS.admin.slice(0, -1)}` },
    { authorization: `Basic ${Buffer.from(`admin:${TOKENS.admin}`).toString('base64')}` },
    { authorization: TOKENS.admin },
    { authorization: 'Bearer' },
    { authorization: '' }
  ]
  for (const h of headers) {
    const res = await call('GET', '/v1/sites', h)
    t.equal(res.statusCode, 401, JSON.stringify(h.authorization.slice(0, 12)))
    t.match(res.json(), { error: 'MW_ERR_UNAUTHORIZED' })
  }
  t.equal((await call('GET', '/v1/sites', { authorization: `bearer ${TOKENS.admin}` })).statusCode, 200, 'the scheme is case-insensitive')
})

t.test('auth - a gateway may not write the registry → 403', async (t) => {
  const site = await call('PUT', `/v1/sites/${SITE}`, auth('gateway'), { name: 'x', kind: 'underground', status: 'closed' })
  t.equal(site.statusCode, 403)
  t.match(site.json(), { error: 'MW_ERR_FORBIDDEN', message: String })
  const points = await call('PUT', `/v1/sites/${SITE}/points`, auth('gateway'), [])
  t.equal(points.statusCode, 403)
  const status = await call('POST', `/v1/sites/${SITE}/status`, auth('operator'), { status: 'closed' })
  t.equal(status.statusCode, 403, 'nor may an operator')
  t.equal((await call('GET', `/v1/sites/${SITE}`, auth('admin'))).json().status, 'producing', 'nothing changed')
})

t.test('auth - an operator may not post readings → 403', async (t) => {
  const res = await call('POST', '/v1/readings', auth('operator'), reading(1))
  t.equal(res.statusCode, 403)
  t.match(res.json(), { error: 'MW_ERR_FORBIDDEN' })
})

t.test('auth - a gateway of site OTHER may not post or read readings of site X → 403', async (t) => {
  const post = await call('POST', '/v1/readings', auth('otherGateway'), reading(1))
  t.equal(post.statusCode, 403)
  t.match(post.json(), { error: 'MW_ERR_FORBIDDEN', message: /AU-X/ })
  const get = await call('GET', `/v1/sites/${SITE}/points/CO-1/readings`, auth('otherGateway'))
  t.equal(get.statusCode, 403)
  t.equal((await call('GET', `/v1/sites/${SITE}`, auth('otherGateway'))).statusCode, 403)
  const own = await call('POST', '/v1/readings', auth('gateway'), reading(1))
  t.same([own.statusCode, own.json()], [200, { accepted: 1, rejected: [] }], 'a gateway of every site may')
})

t.test('auth - an operator limited to OTHER sees none of X\'s alarms: opening or acting on one answers as for an unknown id', async (t) => {
  const res = await call('POST', '/v1/readings', auth('gateway'), reading(30))
  t.same(res.json(), { accepted: 1, rejected: [] })
  // the alarm is stored after the POST's answer: wait for it (the bound only catches a hang)
  const alarms = await until(async () => {
    const listed: Array<{ alarmId: string, siteCode: string }> = (await call('GET', `/v1/alarms?site=${SITE}`, auth('operator'))).json().alarms
    return listed.length > 0 ? listed : undefined
  }, 'the alarm in GET /v1/alarms', 60_000, 20)
  t.equal(alarms.length, 1, 'an operator of every site sees the alarm')
  const id = alarms[0]?.alarmId as string

  for (const state of ['open', 'all']) {
    const list = await call('GET', `/v1/alarms?state=${state}`, auth('otherOperator'))
    t.equal(list.statusCode, 200)
    t.same(list.json().alarms.filter((a: { siteCode: string }) => a.siteCode === SITE), [], `state=${state}: none of X's`)
  }
  const named = await call('GET', `/v1/alarms?site=${SITE}`, auth('otherOperator'))
  t.equal(named.statusCode, 403, 'naming site X in the filter is refused')
  // a 403 would confirm that the id is an alarm of another site: the answer is the one for an id that does not exist
  const unknown = 'A' + '0'.repeat(id.length - 1)
  const asUnknown = (body: { message: string }): unknown => ({ ...body, message: body.message.replace(id, unknown) })
  const one = await call('GET', `/v1/alarms/${id}`, auth('otherOperator'))
  const none = await call('GET', `/v1/alarms/${unknown}`, auth('otherOperator'))
  t.same([one.statusCode, asUnknown(one.json())], [404, none.json()], 'GET of X\'s alarm answers as GET of an unknown id')
  t.same(none.json(), { error: 'MW_ERR_NOT_FOUND', message: `alarm ${unknown} not found` })
  const ack = await call('POST', `/v1/alarms/${id}/ack`, auth('otherOperator'), { by: '值班员Z' })
  const ackNone = await call('POST', `/v1/alarms/${unknown}/ack`, auth('otherOperator'), { by: '值班员Z' })
  t.same([ack.statusCode, asUnknown(ack.json())], [404, ackNone.json()], 'nor act on it, and the refusal says no more than for an unknown id')
  t.equal((await call('GET', `/v1/alarms/${id}`, auth('operator'))).json().alarm.state, 'open', 'still open')
  t.equal((await call('GET', `/v1/alarms/${id}`, auth('gateway'))).statusCode, 403, 'gateways do not read alarms')
})

t.test('auth - /health and /metrics need no token', async (t) => {
  const health = await call('GET', '/health')
  t.same([health.statusCode, health.json()], [200, { status: 'ok' }])
  const ready = await call('GET', '/ready')
  t.same([ready.statusCode, ready.json()], [200, { status: 'ready', questdb: 'up', nats: 'up' }])

  const metrics = await call('GET', '/metrics')
  t.equal(metrics.statusCode, 200)
  t.match(metrics.headers['content-type'], /^text\/plain/)
  t.match(metrics.body, /^# TYPE minewatch_ingest_readings_accepted_total counter$/m)
  t.match(metrics.body, /^minewatch_ingest_readings_accepted_total [1-9]\d*$/m, 'counts the readings accepted above')
  t.match(metrics.body, /^# TYPE minewatch_store_flush_seconds histogram$/m)
  t.match(metrics.body, /^minewatch_store_flush_seconds_count [1-9]\d*$/m)
  t.match(metrics.body, /^minewatch_store_flush_seconds_bucket\{le="0.005"\} \d+$/m)
  t.equal((await call('GET', '/metrics', { authorization: 'Bearer wrong-token-0123456789' })).statusCode, 200, 'a bad token does not matter there')
})
