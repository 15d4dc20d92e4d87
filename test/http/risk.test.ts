// Composite risk over HTTP (docs/risk.md section 4): GET /v1/sites/{siteCode}/risk and GET /v1/risk through
// app.inject, with the contract schemas, auth, validation and error plugins, the real alarm service (over an
// in-memory store) feeding the real risk service through its transitions$ seam.
import t from 'tap'
import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance } from 'fastify'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { Registry } from 'prom-client'
import { asyncScheduler } from 'rxjs'
import authPlugin from '../../src/server/plugins/auth.js'
import errorsPlugin from '../../src/server/plugins/errors.js'
import schemasPlugin from '../../src/server/plugins/schemas.js'
import validationPlugin from '../../src/server/plugins/validation.js'
import type { Principal } from '../../src/server/auth/tokens.js'
import { createAlarmService } from '../../src/5-alarm/service.js'
import { createAlarmMetrics } from '../../src/5-alarm/metrics.js'
import { ManualClock } from '../../src/lib/clock.js'
import { createRiskService } from '../../src/5-alarm/risk/service.js'
import { DEFAULT_RISK_PARAMS } from '../../src/5-alarm/risk/score.js'
import riskRoutes from '../../src/5-alarm/risk/routes.js'
import type { RiskChange } from '../../src/5-alarm/risk/types.js'
import { alarmQueries, FakeReader, FakeWriter } from '../helpers/fake-store.js'
import { change, T0 } from '../unit/5-alarm/fixtures.js'
import type { Log } from '../../src/lib/log.js'

const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }
const TOKENS = new Map<string, Principal>([
  ['operator-all-sites-token', { role: 'operator', sites: '*', name: 'op' }],
  ['admin-all-sites-token', { role: 'admin', sites: '*', name: 'admin' }],
  ['operator-site-s2-token', { role: 'operator', sites: new Set(['S2']), name: 'op-s2' }],
  ['gateway-all-sites-token', { role: 'gateway', sites: '*', name: 'gw' }]
])
const as = (token: string) => ({ authorization: `Bearer ${token}` })
const OP = as('operator-all-sites-token')
const REGISTERED = new Set(['S1', 'S2', 'S3', 'SC.IRON'])

function viewSchema () {
  const ajv = new Ajv({ allErrors: true, strict: true })
  addFormats.default(ajv)
  for (const f of ['common.json', 'alarm-message.json', 'risk-message.json']) ajv.addSchema(JSON.parse(readFileSync(new URL(`../../schemas/${f}`, import.meta.url), 'utf8')))
  const validate = ajv.getSchema('https://minewatch.example/schemas/v1/risk-message.json#/definitions/RiskView')
  if (validate === undefined) throw new Error('risk-message.json has no RiskView definition')
  return validate
}

// S1: CO yellow + point offline yellow (orange, multi-source); S2: a red CO alarm; S3 and SC.IRON registered, quiet.
async function build (tt: { teardown: (fn: () => unknown) => void }) {
  const app: FastifyInstance = Fastify()
  tt.teardown(() => app.close())
  await app.register(errorsPlugin)
  await app.register(schemasPlugin)
  await app.register(validationPlugin)
  await app.register(authPlugin, { tokens: TOKENS })
  const clock = new ManualClock(T0 + 60_000)
  const writer = new FakeWriter()
  let n = 0
  const alarms = createAlarmService({
    writer, reader: new FakeReader().on(alarmQueries(writer)), clock, scheduler: asyncScheduler, log: silent, metrics: createAlarmMetrics(new Registry()), publisher: { enqueue: () => {} }, newId: () => `A${++n}`
  })
  await alarms.start()
  const published: RiskChange[] = []
  const risk = createRiskService({ alarms, publish: (c) => { published.push(c) }, clock, params: DEFAULT_RISK_PARAMS, step: 5, log: silent, rollupRules: () => new Set() })
  await risk.start()
  app.decorate('clock', clock)
  app.decorate('risk', risk)
  app.decorate('registry', { view: { site: (code: string) => REGISTERED.has(code) ? { code } : undefined } } as never)
  await app.register(riskRoutes)
  await app.ready()
  const offlineRule = { ...change('yellow').rule, ruleId: 'connectivity.point.no_data', category: 'fault' as const }
  await alarms.onCondition(change('yellow', { key: 'gas.co.limit|S1|CO-1', siteCode: 'S1' }))
  await alarms.onCondition(change('yellow', { key: 'connectivity.point.no_data|S1|CO-2', siteCode: 'S1', rule: offlineRule, points: ['CO-2'] }))
  await alarms.onCondition(change('red', { key: 'gas.co.limit|S2|CO-1', siteCode: 'S2' }))
  return { app, alarms, published }
}

t.test('risk http - GET /v1/sites/{siteCode}/risk answers the current risk, per schema', async (t) => {
  const { app, published } = await build(t)
  const validate = viewSchema()
  const res = await app.inject({ url: '/v1/sites/S1/risk', headers: OP })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.ok(validate(body), 'matches RiskView of risk-message.json', { errors: validate.errors })
  t.match(body, {
    siteCode: 'S1',
    level: 'orange',
    score: 23.7,
    floor: 'yellow',
    multiSource: true,
    domains: ['gas', 'monitoring'],
    openAlarms: 2,
    seq: published.filter((c) => c.siteCode === 'S1').at(-1)?.seq,
    computedAt: '2026-11-21T00:01:00.000Z'
  })
  t.same(body.contributors.map((c: { ruleId: string, weight: number }) => [c.ruleId, c.weight]), [['gas.co.limit', 10], ['connectivity.point.no_data', 10]], 'equal weights in alarm id order')
  const quiet = await app.inject({ url: '/v1/sites/S3/risk', headers: as('admin-all-sites-token') })
  t.equal(quiet.statusCode, 200, 'a registered site without alarms')
  t.ok(validate(quiet.json()), 'matches RiskView', { errors: validate.errors })
  t.match(quiet.json(), { siteCode: 'S3', level: null, score: 0, seq: 0, openAlarms: 0, contributors: [] })
  t.match((await app.inject({ url: '/v1/sites/SC.IRON/risk', headers: OP })).json(), { siteCode: 'SC.IRON', level: null }, 'a code with a dot')
})

t.test('risk http - the risk follows operator actions on the alarms', async (t) => {
  const { app, alarms } = await build(t)
  const risk = async () => (await app.inject({ url: '/v1/sites/S1/risk', headers: OP })).json()
  await alarms.act('A2', { type: 'ack', by: '值班员A' })
  t.match(await risk(), { level: 'orange', score: 21.5 }, 'an acknowledged offline alarm counts less; hysteresis holds orange')
  await alarms.act('A2', { type: 'close', by: '值班员A', disposition: 'confirmed' })
  t.match(await risk(), { level: 'yellow', score: 10, multiSource: false, openAlarms: 1 })
  await alarms.act('A1', { type: 'close', by: '值班员A', disposition: 'confirmed' })
  t.match(await risk(), { level: null, score: 0, openAlarms: 0 })
})

t.test('risk http - GET /v1/risk lists the sites with open alarms, highest first, narrowed to the caller', async (t) => {
  const { app } = await build(t)
  const validate = viewSchema()
  const all = await app.inject({ url: '/v1/risk', headers: OP })
  t.equal(all.statusCode, 200)
  t.same(all.json().sites.map((s: { siteCode: string, level: string }) => [s.siteCode, s.level]), [['S2', 'red'], ['S1', 'orange']])
  for (const s of all.json().sites) t.ok(validate(s), `${String(s.siteCode)} matches RiskView`, { errors: validate.errors })
  t.same((await app.inject({ url: '/v1/risk?minLevel=red', headers: OP })).json().sites.map((s: { siteCode: string }) => s.siteCode), ['S2'], 'minLevel')
  t.same((await app.inject({ url: '/v1/risk', headers: as('operator-site-s2-token') })).json().sites.map((s: { siteCode: string }) => s.siteCode), ['S2'], 'only the caller\'s sites')
})

t.test('risk http - refusals name what is wrong', async (t) => {
  const { app } = await build(t)
  t.equal((await app.inject({ url: '/v1/risk' })).statusCode, 401, 'no token')
  t.equal((await app.inject({ url: '/v1/sites/S1/risk' })).statusCode, 401, 'no token')
  const gw = await app.inject({ url: '/v1/risk', headers: as('gateway-all-sites-token') })
  t.same([gw.statusCode, gw.json().error], [403, 'MW_ERR_FORBIDDEN'], 'a gateway may not read the risk')
  const other = await app.inject({ url: '/v1/sites/S1/risk', headers: as('operator-site-s2-token') })
  t.equal(other.statusCode, 403, 'another site')
  t.match(other.json(), { error: 'MW_ERR_FORBIDDEN', message: /S1/ })
  const unknown = await app.inject({ url: '/v1/sites/NOPE/risk', headers: OP })
  t.match([unknown.statusCode, unknown.json()], [404, { error: 'MW_ERR_UNKNOWN_SITE', message: /NOPE/ }])
  const badCode = await app.inject({ url: '/v1/sites/bad%20code/risk', headers: OP })
  t.equal(badCode.statusCode, 400, 'a site code outside A-Z a-z 0-9 _ . -')
  t.match(badCode.json(), { details: [{ path: '/params/siteCode' }] }, 'the error names the parameter')
  const badLevel = await app.inject({ url: '/v1/risk?minLevel=purple', headers: OP })
  t.equal(badLevel.statusCode, 400)
  t.match(badLevel.json(), { error: 'MW_ERR_INVALID_QUERY', details: [{ path: '/querystring/minLevel' }] }, 'the error names the query field')
  const extra = await app.inject({ url: '/v1/risk?site=S1', headers: OP })
  t.equal(extra.statusCode, 400, 'an unknown query field is refused')
  t.match(extra.json(), { error: 'MW_ERR_INVALID_QUERY', details: [{ path: '/querystring/site' }] })
})
