// The registry through the real app against a real QuestDB and nats-server (access standard section 2): sites
// with their status timeline, point definitions replaced as a whole, validation, and a restart that reloads
// everything from QuestDB.
import t from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'

const HOUR = 3_600_000

// Services are started once for the file; every subtest uses its own site codes.
const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })

const IRON = {
  name: '水厂铁矿',
  kind: 'open_pit',
  regionCode: '110000',
  enterprise: '首钢矿业',
  status: 'producing',
  approvedHeadcount: 120,
  attributes: { slopeHeightM: 210, note: '边坡', monitored: true }
}

// Every optional field of a definition, so that a round trip shows nothing is lost or added.
const CO_101 = {
  pointCode: 'CO-101',
  quantity: 'co',
  unit: 'ppm',
  kind: 'analog',
  location: '-200m 主运输巷',
  area: 'A3',
  item: 'gas',
  intervalS: 20,
  range: [0, 1000],
  limits: { upperAlarm: 24, upperRelease: 20, upperCut: 50, upperRestore: 40, blue: 10, yellow: 24, orange: 50, red: 160 },
  attributes: { equipment: 'main_fan', serial: 42, redundant: false }
}
const FAN_1 = { pointCode: 'FAN-1', quantity: 'fan_status', unit: 'on/off', kind: 'switch', intervalS: 30 }
const ENERGY = { pointCode: 'E.1_a', quantity: 'energy_kwh', unit: 'kWh', kind: 'cumulative', intervalS: 60.5, range: [-1.5, 1e9] }

async function putSite (a: FastifyInstance, code: string, body: object): Promise<LightMyRequestResponse> {
  return await a.inject({ method: 'PUT', url: `/v1/sites/${code}`, headers: auth('admin'), payload: body })
}

async function putPoints (a: FastifyInstance, code: string, body: unknown): Promise<LightMyRequestResponse> {
  return await a.inject({ method: 'PUT', url: `/v1/sites/${code}/points`, headers: auth('admin'), payload: body as object })
}

async function get (a: FastifyInstance, url: string): Promise<LightMyRequestResponse> {
  return await a.inject({ method: 'GET', url, headers: auth('operator') })
}

const isoRe = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

t.test('registry - PUT a site, then GET returns it with its status timeline', async (t) => {
  const before = Date.now()
  const put = await putSite(app, 'RG-IRON', IRON)
  t.equal(put.statusCode, 200)
  const got = await get(app, '/v1/sites/RG-IRON')
  t.equal(got.statusCode, 200)
  const site = got.json()
  t.same(put.json(), site, 'the PUT answers what GET returns')
  t.match(site, { ...IRON, siteCode: 'RG-IRON', updatedAt: isoRe })
  t.equal(site.statusTimeline.length, 1)
  t.equal(site.statusTimeline[0].status, 'producing')
  const since = Date.parse(site.statusTimeline[0].since)
  t.ok(since >= before && since <= Date.now(), 'without since, the status holds from now')
  t.match(site.statusTimeline[0].since, isoRe)

  const list = await get(app, '/v1/sites')
  t.ok(list.json().sites.some((s: { siteCode: string }) => s.siteCode === 'RG-IRON'), 'listed')
  const gw = await app.inject({ method: 'GET', url: '/v1/sites/RG-IRON', headers: auth('gateway') })
  t.equal(gw.statusCode, 200, 'a gateway of the site may read it')

  const unknown = await get(app, '/v1/sites/RG-NOWHERE')
  t.equal(unknown.statusCode, 404)
  t.match(unknown.json(), { error: 'MW_ERR_UNKNOWN_SITE' })
})

t.test('registry - PUT again replaces the site; another status appends to the timeline', async (t) => {
  t.equal((await putSite(app, 'RG-PUT2', { name: '一号矿', kind: 'underground', status: 'producing', approvedHeadcount: 80 })).statusCode, 200)
  const same = await putSite(app, 'RG-PUT2', { name: '一号矿(改)', kind: 'underground', status: 'producing' })
  t.equal(same.statusCode, 200)
  t.equal(same.json().statusTimeline.length, 1, 'the same status is not a new event')
  t.equal(same.json().name, '一号矿(改)')
  t.notOk('approvedHeadcount' in same.json(), 'PUT replaces: a field left out is gone')

  const changed = await putSite(app, 'RG-PUT2', { name: '一号矿(改)', kind: 'underground', status: 'suspended' })
  t.equal(changed.statusCode, 200)
  const site = (await get(app, '/v1/sites/RG-PUT2')).json()
  t.equal(site.status, 'suspended')
  t.same(site.statusTimeline.map((c: { status: string }) => c.status), ['producing', 'suspended'], 'appended')
  t.ok(Date.parse(site.statusTimeline[0].since) < Date.parse(site.statusTimeline[1].since), 'in time order')

  const back = await putSite(app, 'RG-PUT2', { name: '一号矿(改)', kind: 'underground', status: 'producing', since: Date.now() + 1000 })
  t.same(back.json().statusTimeline.map((c: { status: string }) => c.status), ['producing', 'suspended', 'producing'], 'a third change')
})

t.test('registry - POST /status with since in the past inserts in time order', async (t) => {
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 48 * HOUR
  t.equal((await putSite(app, 'RG-STATUS', { name: '尾矿库', kind: 'tailings_pond', status: 'producing', since: t0 })).statusCode, 200)
  const post = async (body: object): Promise<LightMyRequestResponse> =>
    await app.inject({ method: 'POST', url: '/v1/sites/RG-STATUS/status', headers: auth('admin'), payload: body })

  t.equal((await post({ status: 'suspended', since: t0 + 24 * HOUR, note: '停产整顿' })).statusCode, 200)
  const res = await post({ status: 'maintenance', since: new Date(t0 + 12 * HOUR + 8 * HOUR).toISOString().replace('Z', '+08:00'), note: '检修' })
  t.equal(res.statusCode, 200)
  t.same(res.json().statusTimeline, [
    { since: new Date(t0).toISOString(), status: 'producing' },
    { since: new Date(t0 + 12 * HOUR).toISOString(), status: 'maintenance', note: '检修' },
    { since: new Date(t0 + 24 * HOUR).toISOString(), status: 'suspended', note: '停产整顿' }
  ], 'the past change goes in its place; since is answered in UTC')
  t.equal(res.json().status, 'suspended', 'the status in force now is the latest change')
  t.same((await get(app, '/v1/sites/RG-STATUS')).json().statusTimeline, res.json().statusTimeline)

  const now = await post({ status: 'producing' })
  t.equal(now.json().statusTimeline.length, 4, 'without since: from now, at the end')
  t.equal(now.json().status, 'producing')

  const bad = await post({ status: 'exploded' })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/status' }] })
  const unknown = await app.inject({ method: 'POST', url: '/v1/sites/RG-NOWHERE/status', headers: auth('admin'), payload: { status: 'closed' } })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.json(), { error: 'MW_ERR_UNKNOWN_SITE' })
})

t.test('registry - PUT points, then GET returns exactly the stored definitions', async (t) => {
  t.equal((await putSite(app, 'RG-POINTS', IRON)).statusCode, 200)
  const put = await putPoints(app, 'RG-POINTS', [CO_101, FAN_1, ENERGY])
  t.equal(put.statusCode, 200)
  t.same(put.json(), { siteCode: 'RG-POINTS', points: 3 })
  const got = await get(app, '/v1/sites/RG-POINTS/points')
  t.equal(got.statusCode, 200)
  t.same(got.json(), [CO_101, FAN_1, ENERGY], 'every field as sent, nothing added')

  const again = await putPoints(app, 'RG-POINTS', [{ ...CO_101, intervalS: 10, limits: { upperAlarm: 30 } }, FAN_1, ENERGY])
  t.equal(again.statusCode, 200)
  t.same((await get(app, '/v1/sites/RG-POINTS/points')).json(), [{ ...CO_101, intervalS: 10, limits: { upperAlarm: 30 } }, FAN_1, ENERGY],
    'a second PUT replaces a definition as a whole')
})

t.test('registry - PUT points with fewer points removes the others', async (t) => {
  t.equal((await putSite(app, 'RG-FEWER', { name: '井工矿', kind: 'underground', status: 'producing' })).statusCode, 200)
  t.equal((await putPoints(app, 'RG-FEWER', [CO_101, FAN_1, ENERGY])).statusCode, 200)
  const fewer = await putPoints(app, 'RG-FEWER', [FAN_1])
  t.same([fewer.statusCode, fewer.json()], [200, { siteCode: 'RG-FEWER', points: 1 }])
  t.same((await get(app, '/v1/sites/RG-FEWER/points')).json(), [FAN_1])

  const res = await app.inject({
    method: 'POST',
    url: '/v1/readings',
    headers: auth('gateway'),
    payload: { siteCode: 'RG-FEWER', readings: [{ point: 'CO-101', ts: Date.now() - 1000, value: 3 }, { point: 'FAN-1', ts: Date.now() - 1000, value: 1 }] }
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    accepted: 1,
    rejected: [{ index: 0, path: '/readings/0/point', message: 'point "CO-101" is not defined for site "RG-FEWER"' }]
  }, 'a reading for a removed point is rejected as unknown')

  const none = await putPoints(app, 'RG-FEWER', [])
  t.same([none.statusCode, none.json()], [200, { siteCode: 'RG-FEWER', points: 0 }])
  t.same((await get(app, '/v1/sites/RG-FEWER/points')).json(), [], 'an empty list removes them all')
})

t.test('registry - unknown quantity or kind → 400 naming the field', async (t) => {
  t.equal((await putSite(app, 'RG-BAD', { name: '坏数据', kind: 'coal_mine', status: 'producing' })).statusCode, 200)
  t.equal((await putPoints(app, 'RG-BAD', [FAN_1])).statusCode, 200)

  const quantity = await putPoints(app, 'RG-BAD', [{ ...CO_101, quantity: 'radon' }])
  t.equal(quantity.statusCode, 400)
  t.match(quantity.json(), {
    error: 'MW_ERR_INVALID_BODY',
    message: String,
    details: [{ index: 0, path: '/0/quantity', message: /^must be one of ch4, co, / }]
  })

  const kind = await putPoints(app, 'RG-BAD', [FAN_1, { ...ENERGY, kind: 'digital' }])
  t.equal(kind.statusCode, 400)
  t.match(kind.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ index: 1, path: '/1/kind', message: 'must be one of analog, switch, cumulative' }] })

  const missing = await putPoints(app, 'RG-BAD', [{ pointCode: 'X', quantity: 'co', unit: 'ppm', kind: 'analog' }])
  t.equal(missing.statusCode, 400)
  t.match(missing.json(), { details: [{ index: 0, path: '/0/intervalS', message: "must have required property 'intervalS'" }] })

  const notList = await putPoints(app, 'RG-BAD', CO_101)
  t.equal(notList.statusCode, 400)
  t.match(notList.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/', message: 'must be array' }] })

  const siteKind = await putSite(app, 'RG-BAD', { name: '坏数据', kind: 'quarry', status: 'producing' })
  t.equal(siteKind.statusCode, 400)
  t.match(siteKind.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/kind', message: 'must be one of underground, open_pit, tailings_pond, waste_dump, coal_mine, hazchem' }] })

  const siteStatus = await putSite(app, 'RG-BAD', { name: '坏数据', kind: 'coal_mine', status: 'open' })
  t.equal(siteStatus.statusCode, 400)
  t.match(siteStatus.json(), { details: [{ path: '/status' }] })

  const badCode = await putSite(app, 'RG BAD', { name: '坏数据', kind: 'coal_mine', status: 'producing' })
  t.equal(badCode.statusCode, 400)
  t.match(badCode.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/params/siteCode' }] })

  t.same((await get(app, '/v1/sites/RG-BAD/points')).json(), [FAN_1], 'nothing changed')
  t.equal((await get(app, '/v1/sites/RG-BAD')).json().kind, 'coal_mine')
})

t.test('registry - a duplicate pointCode in one PUT → 400, nothing changed', async (t) => {
  t.equal((await putSite(app, 'RG-DUP', { name: '重复', kind: 'hazchem', status: 'producing' })).statusCode, 200)
  t.equal((await putPoints(app, 'RG-DUP', [FAN_1])).statusCode, 200)
  const dup = await putPoints(app, 'RG-DUP', [CO_101, FAN_1, { ...CO_101, unit: 'mg/m3' }])
  t.equal(dup.statusCode, 400)
  t.match(dup.json(), {
    error: 'MW_ERR_INVALID_BODY',
    message: /CO-101/,
    details: [{ index: 2, path: '/2/pointCode', message: /CO-101/ }]
  })
  t.same((await get(app, '/v1/sites/RG-DUP/points')).json(), [FAN_1])
})

t.test('registry - a unit or kind the quantity catalogue does not accept is stored, with a warning naming each item and field', async (t) => {
  t.equal((await putSite(app, 'RG-CAT', { name: '目录', kind: 'underground', status: 'producing' })).statusCode, 200)
  const o2 = { pointCode: 'O2-1', quantity: 'o2', unit: '%', kind: 'analog', intervalS: 20 }
  const ws = { pointCode: 'WS-1', quantity: 'wind_speed', unit: 'm/s', kind: 'analog', intervalS: 20 }
  const odd = [
    CO_101, o2, ws,
    { ...CO_101, pointCode: 'CO-102', unit: 'mg/m³' },
    { ...FAN_1, pointCode: 'FAN-2', kind: 'analog' }
  ]
  const put = await putPoints(app, 'RG-CAT', odd)
  t.equal(put.statusCode, 200, 'the access standard accepts any unit: nothing is refused')
  t.same(put.json(), {
    siteCode: 'RG-CAT',
    points: 5,
    warnings: [
      { index: 3, path: '/3/unit', message: 'unit "mg/m³" is not accepted for co (一氧化碳): use "ppm"' },
      { index: 4, path: '/4/kind', message: 'kind "analog" is not accepted for fan_status (风机开停): it is switch' }
    ]
  })
  t.same((await get(app, '/v1/sites/RG-CAT/points')).json(), odd, 'stored as sent')
  t.equal(app.registry.view.point('RG-CAT', 'CO-102')?.offCatalogue, true, 'marked off-catalogue: value rules keep off it')
  t.equal(app.registry.view.point('RG-CAT', 'CO-101')?.offCatalogue, undefined)
  const spelled = await putPoints(app, 'RG-CAT', [FAN_1, { ...ws, pointCode: 'T-1', quantity: 'temperature', unit: '℃' }])
  t.same(spelled.json(), { siteCode: 'RG-CAT', points: 2 }, 'another spelling of the canonical unit: no warning')
})

t.test('registry - points for an unknown site → 404', async (t) => {
  const put = await putPoints(app, 'RG-GHOST', [CO_101])
  t.equal(put.statusCode, 404)
  t.match(put.json(), { error: 'MW_ERR_UNKNOWN_SITE', message: 'site "RG-GHOST" is not registered' })
  const got = await get(app, '/v1/sites/RG-GHOST/points')
  t.equal(got.statusCode, 404)
  t.match(got.json(), { error: 'MW_ERR_UNKNOWN_SITE' })
})

t.test('registry - survives an app restart', async (t) => {
  const first = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats, autoClose: false })
  t.teardown(async () => await first.close()) // harmless after the explicit close; covers a failure before it
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 10 * HOUR
  t.equal((await putSite(first, 'RG-RESTART', { ...IRON, kind: 'waste_dump', since: t0 })).statusCode, 200)
  t.equal((await putSite(first, 'RG-RESTART2', { name: '排土场二', kind: 'waste_dump', status: 'closed' })).statusCode, 200)
  t.equal((await putPoints(first, 'RG-RESTART', [CO_101, FAN_1, ENERGY])).statusCode, 200)
  t.equal((await putPoints(first, 'RG-RESTART', [ENERGY, CO_101])).statusCode, 200, 'FAN-1 removed before the restart')
  t.equal((await putPoints(first, 'RG-RESTART2', [FAN_1])).statusCode, 200)
  const status = await first.inject({
    method: 'POST', url: '/v1/sites/RG-RESTART/status', headers: auth('admin'), payload: { status: 'maintenance', since: t0 + HOUR, note: '检修' }
  })
  t.equal(status.statusCode, 200)

  const sitesBefore = (await get(first, '/v1/sites')).json().sites as Array<{ siteCode: string }>
  const siteBefore = (await get(first, '/v1/sites/RG-RESTART')).json()
  const pointsBefore = (await get(first, '/v1/sites/RG-RESTART/points')).json()
  await first.close()

  const second = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
  const sitesAfter = (await get(second, '/v1/sites')).json().sites as Array<{ siteCode: string }>
  const byCode = (l: Array<{ siteCode: string }>) => [...l].sort((a, b) => a.siteCode.localeCompare(b.siteCode))
  t.same(byCode(sitesAfter), byCode(sitesBefore), 'the same sites, every field and timeline')
  t.same((await get(second, '/v1/sites/RG-RESTART')).json(), siteBefore)
  t.same(siteBefore.statusTimeline, [
    { since: new Date(t0).toISOString(), status: 'producing' },
    { since: new Date(t0 + HOUR).toISOString(), status: 'maintenance', note: '检修' }
  ])
  // The contract does not order GET …/points; after a restart the order is QuestDB's, so compare by code.
  const byPoint = (l: Array<{ pointCode: string }>) => [...l].sort((a, b) => a.pointCode.localeCompare(b.pointCode))
  t.same(byPoint((await get(second, '/v1/sites/RG-RESTART/points')).json()), byPoint(pointsBefore), 'the same definitions')
  t.same(byPoint(pointsBefore), byPoint([ENERGY, CO_101]))
  t.same((await get(second, '/v1/sites/RG-RESTART2/points')).json(), [FAN_1])
  t.equal((await get(second, '/v1/sites/RG-RESTART2')).json().status, 'closed')
})
