// Issue 7, as an attacker and a careless gateway would try it, through the real app on a real QuestDB and NATS:
// numbers that JSON reads as ±Infinity, values a QuestDB column cannot hold, lists far past their limit, and query
// parameters out of range. Each is answered 4xx naming the item and field; nothing of it is stored or raises an
// alarm; storage keeps taking good data afterwards and /ready says so.
import t from 'tap'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { AlarmWatch } from '../helpers/alarm-watch.js'
import { walApplied } from '../helpers/wal.js'

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
const watch = await AlarmWatch.open(svc.nats.url)
t.teardown(async () => await watch.close())

const now = (): number => Math.floor(Date.now() / 1000) * 1000 - 30_000

/** send posts a raw JSON text (so it can carry 1e309, which JSON.stringify cannot write). */
async function send (method: 'POST' | 'PUT', url: string, text: string, role: 'admin' | 'gateway' = 'admin'): Promise<{ status: number, body: any, bytes: number }> {
  const res = await app.inject({ method, url, headers: { ...auth(role), 'content-type': 'application/json' }, payload: text })
  return { status: res.statusCode, body: res.json(), bytes: res.body.length }
}

async function get (url: string): Promise<{ status: number, body: any }> {
  const res = await app.inject({ method: 'GET', url, headers: auth('admin') })
  return { status: res.statusCode, body: res.json() }
}

async function site (code: string, kind = 'underground'): Promise<void> {
  const s = await send('PUT', `/v1/sites/${code}`, JSON.stringify({ name: code, kind, status: 'producing' }))
  const p = await send('PUT', `/v1/sites/${code}/points`, JSON.stringify([
    { pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 3600, range: [0, 1000] },
    { pointCode: 'CO-2', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 3600, range: [0, 1000] }
  ]))
  const c = await send('PUT', `/v1/sites/${code}/video/channels`, JSON.stringify([{ channelCode: 'V01', name: '主井口' }]))
  if (s.status !== 200 || p.status !== 200 || c.status !== 200) throw new Error(`set-up of ${code}: ${s.status} ${p.status} ${c.status}`)
}

async function storedValues (code: string, point: string): Promise<number[]> {
  await walApplied(app.questdb.reader, ['readings'])
  return (await get(`/v1/sites/${code}/points/${point}/readings`)).body.readings.map((r: { value: number }) => r.value)
}

async function ready (): Promise<number> {
  return (await app.inject({ method: 'GET', url: '/ready' })).statusCode
}

t.test('hardening - a reading of ±Infinity (1e309 in JSON) is rejected naming its item and field; the batch and storage go on', async (t) => {
  await site('HD-INF')
  const ts = now()
  const text = `{"siteCode":"HD-INF","readings":[
    {"point":"CO-1","ts":${ts},"value":1e309},
    {"point":"CO-1","ts":${ts + 1000},"value":-1e309},
    {"point":"CO-1","ts":${ts + 2000},"value":5,"status":1e309},
    {"point":"CO-1","ts":1e309,"value":5},
    {"point":"CO-1","ts":${ts + 3000},"value":7}]}`
  const res = await send('POST', '/v1/readings', text, 'gateway')
  t.equal(res.status, 200)
  t.same(res.body, {
    accepted: 1,
    rejected: [
      { index: 0, path: '/readings/0/value', message: 'must be number' },
      { index: 1, path: '/readings/1/value', message: 'must be number' },
      { index: 2, path: '/readings/2/status', message: 'must be integer' },
      { index: 3, path: '/readings/3/ts', message: 'must be epoch milliseconds (integer) or an RFC 3339 time with an offset' }
    ]
  })
  t.same(await storedValues('HD-INF', 'CO-1'), [7], 'only the good reading is stored')
  const next = await send('POST', '/v1/readings', JSON.stringify({ siteCode: 'HD-INF', readings: [{ point: 'CO-2', ts: ts + 4000, value: 8 }] }), 'gateway')
  t.same([next.status, next.body], [200, { accepted: 1, rejected: [] }], 'the next batch is stored')
  t.same(await storedValues('HD-INF', 'CO-2'), [8])
  t.equal(await ready(), 200, '/ready stays true')
})

t.test('hardening - an infinite reading raises no over-range alarm, where a real over-range reading does', async (t) => {
  await site('HD-OVR')
  const ts = now()
  t.equal((await send('POST', '/v1/readings', `{"siteCode":"HD-OVR","readings":[{"point":"CO-1","ts":${ts},"value":1e309}]}`, 'gateway')).body.accepted, 0)
  // the control: the same path with a finite value past the range does raise it, so the watcher would have heard one
  t.equal((await send('POST', '/v1/readings', JSON.stringify({ siteCode: 'HD-OVR', readings: [{ point: 'CO-2', ts: ts + 1000, value: 5000 }] }), 'gateway')).body.accepted, 1)
  const control = await watch.waitFor((m) => m.body.siteCode === 'HD-OVR' && m.body.ruleId === 'device.over_range', 'device.over_range at HD-OVR', 60_000)
  t.same(control.body.points, ['CO-2'])
  t.same(watch.forSite('HD-OVR').filter((m) => m.body.points.includes('CO-1')), [], 'nothing about CO-1, the infinite one')
  t.same(await storedValues('HD-OVR', 'CO-1'), [], 'and nothing of it stored')
})

t.test('hardening - every write route refuses non-finite and out-of-column numbers with 4xx naming the field', async (t) => {
  await site('HD-NUM')
  const ts = now()
  const cases: Array<[string, 'POST' | 'PUT', string, string, number, unknown]> = [
    ['site approvedHeadcount 1e309', 'PUT', '/v1/sites/HD-NUM', '{"name":"x","kind":"underground","status":"producing","approvedHeadcount":1e309}', 400, { path: '/approvedHeadcount' }],
    ['site approvedHeadcount past INT', 'PUT', '/v1/sites/HD-NUM', '{"name":"x","kind":"underground","status":"producing","approvedHeadcount":2147483648}', 400, { path: '/approvedHeadcount', message: 'must be <= 2147483647' }],
    ['site attribute 1e309', 'PUT', '/v1/sites/HD-NUM', '{"name":"x","kind":"underground","status":"producing","attributes":{"slopeHeightM":1e309}}', 400, { path: '/attributes/slopeHeightM' }],
    ['site since before 1970', 'PUT', '/v1/sites/HD-NUM', '{"name":"x","kind":"underground","status":"suspended","since":"1969-12-31T23:59:59Z"}', 400, { path: '/since' }],
    ['status since year 0', 'POST', '/v1/sites/HD-NUM/status', '{"status":"suspended","since":"0000-01-01T00:00:00Z"}', 400, { path: '/since' }],
    ['point intervalS 1e309', 'PUT', '/v1/sites/HD-NUM/points', '[{"pointCode":"P","quantity":"co","unit":"ppm","kind":"analog","intervalS":1e309}]', 400, { index: 0, path: '/0/intervalS' }],
    ['point range 1e309', 'PUT', '/v1/sites/HD-NUM/points', '[{"pointCode":"P","quantity":"co","unit":"ppm","kind":"analog","intervalS":60,"range":[0,1e309]}]', 400, { index: 0, path: '/0/range/1' }],
    ['point limit -1e309', 'PUT', '/v1/sites/HD-NUM/points', '[{"pointCode":"P","quantity":"co","unit":"ppm","kind":"analog","intervalS":60,"limits":{"red":-1e309}}]', 400, { index: 0, path: '/0/limits/red' }],
    ['person enteredAt 1e309', 'POST', '/v1/sites/HD-NUM/personnel', `{"ts":${ts},"people":[{"card":"C1","role":"worker","enteredAt":1e309}]}`, 400, { index: 0, path: '/people/0/enteredAt' }],
    ['snapshot ts 1e309', 'POST', '/v1/sites/HD-NUM/personnel', '{"ts":1e309,"people":[]}', 400, { path: '/ts' }],
    ['sos ts -1e309', 'POST', '/v1/sites/HD-NUM/personnel/events', '{"type":"sos","card":"C1","ts":-1e309}', 400, { path: '/ts' }],
    ['heartbeat ts 1e309', 'POST', '/v1/video/heartbeats', '{"siteCode":"HD-NUM","ts":1e309,"channels":[]}', 400, { path: '/ts' }]
  ]
  for (const [what, method, url, text, status, detail] of cases) {
    const res = await send(method, url, text)
    t.equal(res.status, status, what)
    t.match(res.body, { error: 'MW_ERR_INVALID_BODY', details: [detail] }, `${what}: the answer names the field`)
  }
  const events = await send('POST', '/v1/video/events', `{"siteCode":"HD-NUM","events":[
    {"channel":"V01","ts":${ts},"type":"no_helmet","confidence":1e309},
    {"channel":"V01","ts":${ts},"type":"intrusion","count":1e309},
    {"channel":"V01","ts":${ts},"type":"smoke_fire","count":3000000000},
    {"channel":"V01","ts":${ts},"type":"off_post","count":2}]}`, 'gateway')
  t.same(events.body, {
    accepted: 1,
    rejected: [
      { index: 0, path: '/events/0/confidence', message: 'must be number' },
      { index: 1, path: '/events/1/count', message: 'must be integer' },
      { index: 2, path: '/events/2/count', message: 'must be <= 2147483647' }
    ]
  }, 'AI events: each bad one rejected alone; a count past the INT column is refused before QuestDB sees it')
  t.equal(await ready(), 200)
})

t.test('hardening - text that would become a QuestDB symbol is refused with 400 (never a 503 to resend forever)', async (t) => {
  await site('HD-SYM')
  const ts = now()
  for (const area of ['A\u0000B', 'A\u0001', 'A\nB', 'A\u2028', '\ud800']) {
    // named by code points: a raw U+2028 in an assertion's name would break the TAP stream itself
    const name = [...area].map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`).join(' ')
    const snapshot = await send('POST', '/v1/sites/HD-SYM/personnel', JSON.stringify({ ts, people: [{ card: 'C1', role: 'worker', area }] }), 'gateway')
    t.equal(snapshot.status, 400, `area ${name} in a snapshot`)
    t.match(snapshot.body.details, [{ index: 0, path: '/people/0/area', message: /^must match pattern/ }])
    const sos = await send('POST', '/v1/sites/HD-SYM/personnel/events', JSON.stringify({ type: 'sos', card: 'C1', ts, area }), 'gateway')
    t.match([sos.status, sos.body.details], [400, [{ path: '/area' }]], `area ${name} in an SOS`)
  }
  const points = await send('PUT', '/v1/sites/HD-SYM/points', JSON.stringify([{ pointCode: 'P', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60, item: 'gas\u0000' }]))
  t.match([points.status, points.body.details], [400, [{ index: 0, path: '/0/item' }]])
  const fine = await send('POST', '/v1/sites/HD-SYM/personnel', JSON.stringify({ ts, people: [{ card: 'C1', role: 'worker', area: '-200m 主运输巷 A3' }, { card: 'C2', role: 'worker', area: '' }] }), 'gateway')
  t.same([fine.status, fine.body], [200, { accepted: 2, headcount: 2 }], 'Chinese, spaces and an empty area (none) are fine')
  await walApplied(app.questdb.reader, ['personnel_snapshots', 'personnel_headcount'])
  const latest = await get('/v1/sites/HD-SYM/personnel')
  t.same(latest.body.people, [{ card: 'C1', role: 'worker', area: '-200m 主运输巷 A3' }, { card: 'C2', role: 'worker' }])
  t.equal(await ready(), 200)
})

t.test('hardening - a list far past its limit is refused before its items are looked at; a long list of bad items gets a capped answer', async (t) => {
  await site('HD-BIG')
  const empties = (n: number): string => '[' + Array(n).fill('{}').join(',') + ']'
  const over: Array<[string, 'POST' | 'PUT', string, string, string]> = [
    ['readings', 'POST', '/v1/readings', `{"siteCode":"HD-BIG","readings":${empties(12_000)}}`, '/readings'],
    ['points', 'PUT', '/v1/sites/HD-BIG/points', empties(12_000), '/'],
    ['people', 'POST', '/v1/sites/HD-BIG/personnel', `{"ts":${now()},"people":${empties(12_000)}}`, '/people'],
    ['channels', 'PUT', '/v1/sites/HD-BIG/video/channels', empties(12_000), '/'],
    ['heartbeats', 'POST', '/v1/video/heartbeats', `{"siteCode":"HD-BIG","ts":${now()},"channels":${empties(12_000)}}`, '/channels'],
    ['events', 'POST', '/v1/video/events', `{"siteCode":"HD-BIG","events":${empties(12_000)}}`, '/events']
  ]
  for (const [what, method, url, text, path] of over) {
    const res = await send(method, url, text)
    t.same([res.status, res.body], [413, {
      error: 'MW_ERR_BATCH_TOO_LARGE',
      message: 'batch has 12000 items; at most 10000 are accepted',
      details: [{ path, message: 'must NOT have more than 10000 items' }]
    }], `${what}: 12,000 items → 413 naming the list`)
  }
  const all: Array<[string, 'POST' | 'PUT', string, string, number]> = [
    ['readings', 'POST', '/v1/readings', `{"siteCode":"HD-BIG","readings":${empties(10_000)}}`, 200],
    ['points', 'PUT', '/v1/sites/HD-BIG/points', empties(10_000), 400],
    ['people', 'POST', '/v1/sites/HD-BIG/personnel', `{"ts":${now()},"people":${empties(10_000)}}`, 400],
    ['channels', 'PUT', '/v1/sites/HD-BIG/video/channels', empties(10_000), 400],
    ['heartbeats', 'POST', '/v1/video/heartbeats', `{"siteCode":"HD-BIG","ts":${now()},"channels":${empties(10_000)}}`, 200],
    ['events', 'POST', '/v1/video/events', `{"siteCode":"HD-BIG","events":${empties(10_000)}}`, 200]
  ]
  for (const [what, method, url, text, status] of all) {
    const res = await send(method, url, text)
    t.equal(res.status, status, `${what}: 10,000 bad items`)
    const list = status === 200 ? res.body.rejected : res.body.details
    const count = status === 200 ? res.body.rejectedCount : res.body.detailsCount
    t.equal(list.length, 100, `${what}: the first 100 are listed`)
    t.equal(count, 10_000, `${what}: and all 10,000 counted`)
    t.same(list.map((d: { index: number }) => d.index), Array.from({ length: 100 }, (_, i) => i), `${what}: in order, by index`)
    t.ok(res.bytes < 16_384, `${what}: the answer is ${res.bytes} bytes, not megabytes`)
  }
  t.equal(await ready(), 200)
})

t.test('hardening - query parameters are read strictly and answered 400 naming the parameter', async (t) => {
  await site('HD-QRY')
  const ts = now()
  await send('POST', '/v1/readings', JSON.stringify({ siteCode: 'HD-QRY', readings: [{ point: 'CO-1', ts, value: 3 }] }), 'gateway')
  const base = '/v1/sites/HD-QRY/points/CO-1/readings'
  const bad: Array<[string, string]> = [
    ['from=99999999999999999999', 'from'],
    ['from=253402300800000', 'from'],
    [`from=${encodeURIComponent('+275760-09-13T00:00:00.000Z')}`, 'from'],
    [`to=${encodeURIComponent('-271821-04-20T00:00:00.000Z')}`, 'to'],
    [`from=${encodeURIComponent("x' OR '1'='1")}`, 'from'],
    ['from=2026-02-30T00:00:00Z', 'from'],
    ['from=1969-12-31T23:59:59Z', 'from'],
    ['to=yesterday', 'to'],
    ['to=1e3', 'to'],
    ['limit=1e309', 'limit'],
    ['limit=0', 'limit'],
    ['limit=100001', 'limit']
  ]
  for (const [query, param] of bad) {
    for (const url of [base, '/v1/sites/HD-QRY/points/CO-1/stats', '/v1/sites/HD-QRY/video/events']) {
      const res = await get(`${url}?${query}`)
      t.match([res.status, res.body], [400, { error: 'MW_ERR_INVALID_QUERY', details: [{ path: `/querystring/${param}` }] }], `${url}?${query}`)
    }
  }
  for (const since of ['99999999999999999999', "x' OR '1'='1", '1e309']) {
    const res = await get(`/v1/alarms?state=all&since=${encodeURIComponent(since)}`)
    t.match([res.status, res.body], [400, { error: 'MW_ERR_INVALID_QUERY', details: [{ path: '/querystring/since' }] }], `alarms since=${since}`)
  }
  t.same((await get(`${base}?from=${ts}&to=${ts}`)).body.readings.map((r: { value: number }) => r.value), [3], 'epoch ms still works')
  t.same((await get(`${base}?from=0&to=253402300799999&limit=100000`)).body.readings.length, 1, 'the whole stored range, at the bounds')
})
