// The flood indicator against real QuestDB and NATS: a site raising more alarms than the threshold in the window
// is flagged with its raises grouped by rule, only for callers who may see the site, and a restart keeps it
// (seeded from the stored raises).
import t from 'tap'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { until } from '../helpers/wait.js'
import { call } from '../helpers/api.js'
import { coRulesDir, ENGINE_ENV } from '../helpers/rules.js'

const svc = await startServices(t)
const env = { MINEWATCH_RULES_DIR: await coRulesDir(t, 'minewatch-flood-rules-', '0s'), MINEWATCH_FLOOD_THRESHOLD: '3', ...ENGINE_ENV }
const SITE = 'FLD-1'
const POINTS = ['CO-1', 'CO-2', 'CO-3', 'CO-4', 'CO-5']

t.test('flood - five CO alarms in a minute flag the site; a restart keeps the flag', async (t) => {
  const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats, env, autoClose: false })
  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}`, 'admin', { name: '报警泛滥测试矿', kind: 'underground', status: 'producing' })).status, 200)
  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}/points`, 'admin', POINTS.map((p) => ({ pointCode: p, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60 })))).status, 200)
  const quiet = await app.inject({ method: 'GET', url: `/v1/floods?site=${SITE}`, headers: auth('operator') })
  t.match(quiet.json(), { threshold: 3, windowMinutes: 10, sites: [{ siteCode: SITE, count: 0, flood: false }] })
  const now = Date.now()
  t.equal((await call(app, 'POST', '/v1/readings', 'gateway', { siteCode: SITE, readings: POINTS.map((point) => ({ point, ts: now - 1000, value: 30 })) })).status, 200)
  const flooded = await until(async () => {
    const r = (await app.inject({ method: 'GET', url: '/v1/floods', headers: auth('operator') })).json()
    return r.sites.find((s: any) => s.siteCode === SITE && s.count === 5)
  }, 'the flood flagged')
  t.same(flooded, { siteCode: SITE, count: 5, flood: true, byRule: [{ ruleId: 'gas.co.limit', count: 5 }] })
  const other = await app.inject({ method: 'GET', url: '/v1/floods', headers: auth('otherOperator') })
  t.same(other.json().sites, [], 'an operator of another site does not see it')
  const bad = await app.inject({ method: 'GET', url: '/v1/floods?site=&x=1', headers: auth('operator') })
  t.equal(bad.statusCode, 400)
  await app.close()

  const again = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats, env })
  const after = (await again.inject({ method: 'GET', url: `/v1/floods?site=${SITE}`, headers: auth('operator') })).json()
  t.match(after.sites, [{ siteCode: SITE, count: 5, flood: true }], 'seeded from the stored raises')
})
