import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { Registry } from 'prom-client'
import { asyncScheduler } from 'rxjs'
import alarmRoutes from '../../../src/5-alarm/routes.js'
import authPlugin from '../../../src/server/plugins/auth.js'
import { loadSchemas } from '../../../src/server/plugins/schemas.js'
import type { Principal } from '../../../src/server/auth/tokens.js'
import { createAlarmService } from '../../../src/5-alarm/service.js'
import { createAlarmMetrics } from '../../../src/5-alarm/metrics.js'
import type { AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import { ManualClock } from '../../../src/lib/clock.js'
import { alarmQueries, FakeReader, FakeWriter, MemoryAudit } from '../../helpers/fake-store.js'
import { change, T0 } from './fixtures.js'
import type { Log } from '../../../src/lib/log.js'

const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }

// Bearer tokens of the test: an operator of every site, an operator of S2 only, and a gateway.
const TOKENS = new Map<string, Principal>([
  ['operator-all-sites-token', { role: 'operator', sites: '*', name: 'op' }],
  ['operator-site-s2-token', { role: 'operator', sites: new Set(['S2']), name: 'op-s2' }],
  ['gateway-all-sites-token', { role: 'gateway', sites: '*', name: 'gw' }]
])
const as = (token: string) => ({ authorization: `Bearer ${token}` })
const OP = as('operator-all-sites-token')

// An app with the contract schemas, the auth plugin and the real service over in-memory storage.
// Three alarms: A1 at S1 (yellow), A2 at S2 (red), A3 at S1 closed.
async function build (t: { teardown: (fn: () => unknown) => void }) {
  const app: FastifyInstance = Fastify()
  t.teardown(() => app.close())
  for (const schema of loadSchemas()) app.addSchema(schema)
  const routeRoles: Array<[string, unknown]> = []
  app.addHook('onRoute', (route) => { if (route.method !== 'HEAD') routeRoles.push([`${String(route.method)} ${route.url}`, (route.config as { roles?: unknown } | undefined)?.roles]) })
  await app.register(authPlugin, { tokens: TOKENS })
  const writer = new FakeWriter()
  const clock = new ManualClock(T0 + 60_000)
  const published: AlarmTransitionRecord[] = []
  let n = 0
  const service = createAlarmService({
    writer,
    reader: new FakeReader().on(alarmQueries(writer)),
    clock,
    scheduler: asyncScheduler,
    log: silent,
    metrics: createAlarmMetrics(new Registry()),
    publisher: { enqueue: (r) => { published.push(r) } },
    newId: () => `A${++n}`
  })
  await service.start()
  app.decorate('alarms', service)
  const audit = new MemoryAudit()
  app.decorate('audit', audit)
  await app.register(alarmRoutes)
  await service.onCondition(change('yellow', { key: 'k1', siteCode: 'S1', evidence: [{ point: 'CO-101', ts: T0, value: 31, status: 0 }] }))
  clock.advance(1000)
  await service.onCondition(change('red', { key: 'k2', siteCode: 'S2', rule: { ...change('red').rule, category: 'fault' } }))
  clock.advance(1000)
  await service.onCondition(change('blue', { key: 'k3', siteCode: 'S1' }))
  await service.act('A3', { type: 'close', by: 'x', disposition: 'false_alarm' })
  return { app, published, routeRoles, audit }
}

const ids = (body: { alarms: Array<{ alarmId: string }> }) => body.alarms.map((a) => a.alarmId)

t.test('alarms - people with a watching role see alarms, only handling roles act', async (t) => {
  const { routeRoles } = await build(t)
  t.equal(routeRoles.length, 5)
  for (const [route, roles] of routeRoles) {
    t.same(roles, route.startsWith('GET') ? ['viewer', 'operator', 'supervisor', 'admin'] : ['operator', 'supervisor', 'admin'], route)
  }
})

t.test('alarms - GET /v1/alarms lists with filters and RFC 3339 times', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/v1/alarms', headers: OP })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(ids(body), ['A2', 'A1'], 'open alarms, newest change first')
  t.match(body.alarms[1], { siteCode: 'S1', level: 'yellow', state: 'open', active: true, startedAt: '2026-11-21T00:00:00.000Z', detectedAt: '2026-11-21T00:01:00.000Z' })
  t.same(ids((await app.inject({ url: '/v1/alarms?state=all', headers: OP })).json()), ['A3', 'A2', 'A1'])
  t.same(ids((await app.inject({ url: '/v1/alarms?category=fault', headers: OP })).json()), ['A2'])
  t.same(ids((await app.inject({ url: '/v1/alarms?level=yellow', headers: OP })).json()), ['A1'])
  t.same(ids((await app.inject({ url: '/v1/alarms?site=S1&state=all', headers: OP })).json()), ['A3', 'A1'])
  t.same(ids((await app.inject({ url: `/v1/alarms?since=${T0 + 61_000}`, headers: OP })).json()), ['A2'], 'since as epoch ms')
  t.same(ids((await app.inject({ url: '/v1/alarms?since=2026-11-21T08:01:01%2B08:00', headers: OP })).json()), ['A2'], 'since as RFC 3339')
  t.equal((await app.inject({ url: '/v1/alarms?state=closed', headers: OP })).statusCode, 400)
  t.equal((await app.inject({ url: '/v1/alarms?level=purple', headers: OP })).statusCode, 400)
})

t.test('alarms - a caller sees only the alarms of its sites', async (t) => {
  const { app } = await build(t)
  const headers = as('operator-site-s2-token')
  t.same(ids((await app.inject({ url: '/v1/alarms?state=all', headers })).json()), ['A2'])
  t.equal((await app.inject({ url: '/v1/alarms?site=S1', headers })).statusCode, 403)
  // another site's alarm answers as an unknown id would: 404, not a 403 that confirms the id
  const notFound = (id: string): unknown => ({ statusCode: 404, code: 'MW_ERR_NOT_FOUND', error: 'Not Found', message: `alarm ${id} not found` })
  t.same((await app.inject({ url: '/v1/alarms/A9', headers: OP })).json(), notFound('A9'), 'the answer for an id that does not exist')
  t.same((await app.inject({ url: '/v1/alarms/A1', headers })).json(), notFound('A1'))
  t.same((await app.inject({ method: 'POST', url: '/v1/alarms/A1/ack', headers, payload: { by: 'x' } })).json(), notFound('A1'))
  t.equal((await app.inject({ url: '/v1/alarms/A1', headers: OP })).json().alarm.state, 'open', 'the refused ack changed nothing')
})

t.test('alarms - only operators and admins with a token reach the alarm routes', async (t) => {
  const { app } = await build(t)
  t.equal((await app.inject({ url: '/v1/alarms' })).statusCode, 401)
  t.equal((await app.inject({ url: '/v1/alarms', headers: as('gateway-all-sites-token') })).statusCode, 403)
  t.equal((await app.inject({ method: 'POST', url: '/v1/alarms/A1/ack', headers: as('gateway-all-sites-token'), payload: { by: 'x' } })).statusCode, 403)
})

t.test('alarms - GET /v1/alarms/:alarmId returns history and evidence', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/v1/alarms/A3', headers: OP })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body.alarm, { alarmId: 'A3', state: 'closed' })
  t.same(body.history.map((m: { transition: string }) => m.transition), ['raised', 'closed'])
  t.match(body.history[1], { seq: 2, by: 'x', disposition: 'false_alarm', detectedAt: /Z$/ })
  t.same((await app.inject({ url: '/v1/alarms/A1', headers: OP })).json().evidence, [{ point: 'CO-101', ts: '2026-11-21T00:00:00.000Z', value: 31, status: 0 }])
  t.equal((await app.inject({ url: '/v1/alarms/NOPE', headers: OP })).statusCode, 404)
})

t.test('alarms - POST ack, dispatch and close move the alarm and publish', async (t) => {
  const { app, published } = await build(t)
  const post = async (path: string, payload: object) => await app.inject({ method: 'POST', url: `/v1/alarms/A1/${path}`, headers: OP, payload })
  const ack = await post('ack', { by: '值班员A', note: '收到' })
  t.equal(ack.statusCode, 200)
  t.match(ack.json(), { alarm: { state: 'acknowledged', seq: 2 }, transition: { transition: 'acknowledged', by: '值班员A', note: '收到', seq: 2 } })
  t.equal(published.at(-1)?.transition, 'acknowledged')
  t.equal((await post('ack', { by: 'x' })).statusCode, 409, 'acknowledging twice is a conflict')
  t.equal((await post('dispatch', { by: 'x', assignee: '巡检员B' })).json().alarm.state, 'dispatched')
  t.equal((await post('close', { by: 'x', disposition: 'confirmed' })).json().transition.disposition, 'confirmed')
  t.equal((await post('close', { by: 'x', disposition: 'confirmed' })).statusCode, 409)
  t.equal((await app.inject({ method: 'POST', url: '/v1/alarms/NOPE/ack', headers: OP, payload: { by: 'x' } })).statusCode, 404)
})

t.test('alarms - a token states who acted, or is named itself; every action is audited with its caller', async (t) => {
  const { app, audit } = await build(t)
  const ack = await app.inject({ method: 'POST', url: '/v1/alarms/A1/ack', headers: OP, payload: {} })
  t.equal(ack.statusCode, 200)
  t.equal(ack.json().transition.by, 'op', 'no by: the token\'s name')
  const close = await app.inject({ method: 'POST', url: '/v1/alarms/A1/close', headers: OP, payload: { by: '值班员A', disposition: 'confirmed', note: '现场核实' } })
  t.equal(close.json().transition.by, '值班员A', 'a token may state the person it relays')
  t.match(audit.records, [
    { action: 'ack', outcome: 'ok', actor: 'op', actorKind: 'token', actorRole: 'operator', site: 'S1', target: 'A1', detail: { seq: 2 } },
    { action: 'close', actor: 'op', site: 'S1', target: 'A1', detail: { by: '值班员A', disposition: 'confirmed', note: '现场核实' } }
  ])
  t.equal(audit.records.length, 2, 'refused actions are not audited as done')
})

t.test('alarms - action bodies are validated against alarm-actions.json', async (t) => {
  const { app, published } = await build(t)
  const before = published.length
  const post = async (path: string, payload: object) => (await app.inject({ method: 'POST', url: `/v1/alarms/A1/${path}`, headers: OP, payload })).statusCode
  t.equal(await post('ack', { by: '' }), 400, 'by is not empty')
  t.equal(await post('dispatch', { by: 'x' }), 400, 'assignee is required')
  t.equal(await post('close', { by: 'x', disposition: 'whatever' }), 400)
  t.equal(published.length, before)
})
