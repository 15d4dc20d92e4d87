// Readings through the real app against a real QuestDB and nats-server (access standard sections 1 and 3):
// storage and read-back, both timestamp forms, idempotent resends, late and out-of-order data, per-item and
// envelope errors, the limits, and a 503 with Retry-After when QuestDB is down.
// QuestDB applies WAL 10-70 ms after acknowledging a write: reads poll (bounded at 60 s, which only catches a
// hang) for what they expect, and "nothing more was stored" is checked once the readings table's WAL has been
// applied (walApplied), with something that must have been stored in the same check (a positive control).
import t from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { startQuestDbOnly, startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'

const HOUR = 3_600_000
const DAY = 86_400_000

interface Stored { ts: string, value: number, status: number }
interface Item { point: string, ts: number | string, value: unknown, status?: number }

// Services are started once for the file (QuestDB takes seconds); every subtest uses its own site codes.
// A second, QuestDB-only instance is the one the outage test stops.
const [svc, doomed] = await Promise.all([startServices(t), startQuestDbOnly(t)])
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })

/** iso renders epoch ms as RFC 3339 with the given offset (e.g. +08:00), the way a gateway in China sends it. */
function withOffset (ms: number, offsetH: number): string {
  const sign = offsetH < 0 ? '-' : '+'
  const hh = String(Math.abs(offsetH)).padStart(2, '0')
  return new Date(ms + offsetH * HOUR).toISOString().replace('Z', `${sign}${hh}:00`)
}

const utc = (ms: number): string => new Date(ms).toISOString()

// A whole second a little in the past, so every test's timestamps are exact and within the skew bound.
const baseTime = (): number => Math.floor(Date.now() / 1000) * 1000 - 60_000

async function setup (a: FastifyInstance, site: string, points: Array<{ code: string, quantity?: string }>): Promise<void> {
  const s = await a.inject({
    method: 'PUT',
    url: `/v1/sites/${site}`,
    headers: auth('admin'),
    payload: { name: `测试矿山 ${site}`, kind: 'underground', status: 'producing' }
  })
  if (s.statusCode !== 200) throw new Error(`PUT site ${site}: ${s.statusCode} ${s.body}`)
  // intervalS of an hour: no no-data alarm can interfere with the alarm counts of a test
  const p = await a.inject({
    method: 'PUT',
    url: `/v1/sites/${site}/points`,
    headers: auth('admin'),
    payload: points.map((x) => ({ pointCode: x.code, quantity: x.quantity ?? 'co', unit: 'ppm', kind: 'analog', intervalS: 3600 }))
  })
  if (p.statusCode !== 200) throw new Error(`PUT points ${site}: ${p.statusCode} ${p.body}`)
}

async function post (a: FastifyInstance, siteCode: string, readings: Item[]): Promise<LightMyRequestResponse> {
  return await a.inject({ method: 'POST', url: '/v1/readings', headers: auth('gateway'), payload: { siteCode, readings } })
}

async function getReadings (a: FastifyInstance, site: string, point: string, query = ''): Promise<LightMyRequestResponse> {
  return await a.inject({ method: 'GET', url: `/v1/sites/${site}/points/${point}/readings${query}`, headers: auth('operator') })
}

/** poll calls fn until done(result) holds or timeoutMs passes (a bound that only catches hangs), and returns the last result. */
async function poll<T> (fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (done(v) || Date.now() > until) return v
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** storedOf polls GET …/readings until it returns `count` readings (or 60 s pass) and returns them. */
async function storedOf (site: string, point: string, count: number, query = ''): Promise<Stored[]> {
  const res = await poll(async () => await getReadings(app, site, point, query), (r) => r.statusCode === 200 && r.json().readings.length >= count)
  if (res.statusCode !== 200) throw new Error(`GET readings ${site}/${point}: ${res.statusCode} ${res.body}`)
  return res.json().readings as Stored[]
}

async function sqlCount (site: string): Promise<number> {
  const rows = await app.questdb.reader.query<{ n: unknown }>('select count() n from readings where site = $1', [site])
  return Number(rows[0]?.n)
}

/** walApplied waits (bounded) until QuestDB has applied every acknowledged write to `readings`. */
async function walApplied (): Promise<boolean> {
  const rows = await poll(
    async () => await app.questdb.reader.query<{ writerTxn: unknown, sequencerTxn: unknown }>(
      "select writerTxn, sequencerTxn from wal_tables() where name = 'readings'"),
    (r) => r.length === 1 && Number(r[0]?.writerTxn) >= Number(r[0]?.sequencerTxn))
  return rows.length === 1 && Number(rows[0]?.writerTxn) >= Number(rows[0]?.sequencerTxn)
}

async function alarmsOf (site: string): Promise<Array<{ alarmId: string, points: string[], ruleId: string }>> {
  const res = await app.inject({ method: 'GET', url: `/v1/alarms?state=all&site=${site}`, headers: auth('operator') })
  if (res.statusCode !== 200) throw new Error(`GET alarms: ${res.statusCode} ${res.body}`)
  return res.json().alarms
}

t.test('readings - stored and queryable in time order with ts in RFC 3339 UTC, value and status', async (t) => {
  await setup(app, 'RD-STORE', [{ code: 'CO-101' }, { code: 'CO-102' }])
  const t0 = baseTime()
  const res = await post(app, 'RD-STORE', [
    { point: 'CO-101', ts: t0, value: 12.5 },
    { point: 'CO-101', ts: t0 + 20_000, value: 13.25, status: 4 },
    { point: 'CO-102', ts: t0 + 20_000, value: 1 },
    { point: 'CO-101', ts: t0 + 40_000, value: 0, status: 129 }
  ])
  t.equal(res.statusCode, 200)
  t.same(res.json(), { accepted: 4, rejected: [] })
  t.same(await storedOf('RD-STORE', 'CO-101', 3), [
    { ts: utc(t0), value: 12.5, status: 0 },
    { ts: utc(t0 + 20_000), value: 13.25, status: 4 },
    { ts: utc(t0 + 40_000), value: 0, status: 129 }
  ], 'status defaults to 0; the bitmask is kept')
  t.same(await storedOf('RD-STORE', 'CO-102', 1), [{ ts: utc(t0 + 20_000), value: 1, status: 0 }], 'per point')

  const gw = await app.inject({ method: 'GET', url: '/v1/sites/RD-STORE/points/CO-102/readings', headers: auth('gateway') })
  t.equal(gw.statusCode, 200, 'a gateway of the site may read its readings')
  const none = await getReadings(app, 'RD-STORE', 'NOPE')
  t.same([none.statusCode, none.json()], [200, { readings: [] }], 'a point without readings has none')
})

t.test('readings - accepts epoch ms and RFC 3339 with an offset, answers in UTC', async (t) => {
  await setup(app, 'RD-TSFORM', [{ code: 'CO-1' }])
  const t0 = baseTime()
  const res = await post(app, 'RD-TSFORM', [
    { point: 'CO-1', ts: t0, value: 1 },
    { point: 'CO-1', ts: withOffset(t0 + 1000, 8), value: 2 },
    { point: 'CO-1', ts: withOffset(t0 + 2000, -5), value: 3 },
    { point: 'CO-1', ts: utc(t0 + 3123), value: 4 }
  ])
  t.same(res.json(), { accepted: 4, rejected: [] })
  t.match(withOffset(t0 + 1000, 8), /\+08:00$/)
  t.same(await storedOf('RD-TSFORM', 'CO-1', 4), [
    { ts: utc(t0), value: 1, status: 0 },
    { ts: utc(t0 + 1000), value: 2, status: 0 },
    { ts: utc(t0 + 2000), value: 3, status: 0 },
    { ts: utc(t0 + 3123), value: 4, status: 0 }
  ])
})

t.test('readings - a resent batch is stored once and raises no new alarm', async (t) => {
  await setup(app, 'RD-DEDUP', [{ code: 'CO-1' }, { code: 'CO-2' }])
  const t0 = baseTime() + 30_000
  const batch: Item[] = [
    { point: 'CO-1', ts: t0, value: 10 },
    { point: 'CO-1', ts: t0 + 10_000, value: 15 },
    { point: 'CO-1', ts: t0 + 20_000, value: 30 }
  ]
  t.same((await post(app, 'RD-DEDUP', batch)).json(), { accepted: 3, rejected: [] })
  const first = await storedOf('RD-DEDUP', 'CO-1', 3)
  t.equal(first.length, 3)
  const raised = await poll(async () => await alarmsOf('RD-DEDUP'), (a) => a.length >= 1)
  t.equal(raised.length, 1, 'CO 30 ppm raised one alarm')
  t.match(raised[0], { ruleId: 'gas.co.limit', points: ['CO-1'] })

  const again = await post(app, 'RD-DEDUP', batch)
  t.same([again.statusCode, again.json()], [200, { accepted: 3, rejected: [] }], 'a resend is answered like the first send')
  t.ok(await walApplied(), 'the resend has been applied')
  t.same(await storedOf('RD-DEDUP', 'CO-1', 3), first, 'GET: each (point, ts) once, the same values')
  t.equal(await sqlCount('RD-DEDUP'), 3, 'SQL: three rows, not six')

  // The alarm path is ordered: once an alarm from a later batch shows, the resend has been fully processed.
  t.same((await post(app, 'RD-DEDUP', [{ point: 'CO-2', ts: t0 + 25_000, value: 30 }])).json(), { accepted: 1, rejected: [] })
  const after = await poll(async () => await alarmsOf('RD-DEDUP'), (a) => a.length >= 2)
  t.equal(after.length, 2, 'only the marker alarm is new')
  t.same(after.filter((a) => a.points.includes('CO-1')).map((a) => a.alarmId), [raised[0]?.alarmId], 'no new alarm for the resent readings')
})

t.test('readings - out-of-order and late readings are stored with their own timestamps', async (t) => {
  await setup(app, 'RD-LATE', [{ code: 'CO-1' }, { code: 'CO-2' }])
  const now = baseTime()
  t.same((await post(app, 'RD-LATE', [{ point: 'CO-1', ts: now, value: 5 }])).json(), { accepted: 1, rejected: [] })
  t.same((await post(app, 'RD-LATE', [{ point: 'CO-1', ts: now - HOUR, value: 4 }])).json(), { accepted: 1, rejected: [] }, '1 h late')
  t.same((await post(app, 'RD-LATE', [{ point: 'CO-1', ts: now - 2 * HOUR, value: 3 }])).json(), { accepted: 1, rejected: [] }, 'then 2 h late')
  t.same(await storedOf('RD-LATE', 'CO-1', 3), [
    { ts: utc(now - 2 * HOUR), value: 3, status: 0 },
    { ts: utc(now - HOUR), value: 4, status: 0 },
    { ts: utc(now), value: 5, status: 0 }
  ], 'in event-time order, not arrival order')

  const shuffled = [30, 10, 50, 20, 40].map((s) => ({ point: 'CO-2', ts: now - s * 1000, value: s }))
  t.same((await post(app, 'RD-LATE', shuffled)).json(), { accepted: 5, rejected: [] })
  t.same((await storedOf('RD-LATE', 'CO-2', 5)).map((r) => [r.ts, r.value]),
    [50, 40, 30, 20, 10].map((s) => [utc(now - s * 1000), s]), 'a batch out of order is sorted on read')
})

t.test('readings - a mixed batch: 200, valid items stored, each bad item named by index, path and message', async (t) => {
  await setup(app, 'RD-MIXED', [{ code: 'CO-1' }])
  const now = baseTime()
  const res = await post(app, 'RD-MIXED', [
    { point: 'CO-1', ts: now, value: 1 },
    { point: 'CO-1', ts: now + 1000, value: '2' },
    { point: 'CO-999', ts: now + 2000, value: 3 },
    { point: 'CO-1', ts: Date.now() + 5 * HOUR, value: 4 },
    { point: 'CO-1', ts: Date.now() - 100 * DAY, value: 5 },
    { point: 'CO-1', ts: withOffset(now + 5000, 8), value: 6 }
  ])
  t.equal(res.statusCode, 200)
  const body = res.json() as { accepted: number, rejected: Array<{ index: number, path: string, message: string }> }
  t.equal(body.accepted, 2)
  t.same(body.rejected.map((r) => [r.index, r.path]), [
    [1, '/readings/1/value'],
    [2, '/readings/2/point'],
    [3, '/readings/3/ts'],
    [4, '/readings/4/ts']
  ])
  t.match(body.rejected, [
    { message: 'must be number' },
    { message: 'point "CO-999" is not defined for site "RD-MIXED"' },
    { message: /in the future \(clock skew allowed: 300 s\)$/ },
    { message: /older than the raw-data retention of 90 days$/ }
  ])
  t.same(await storedOf('RD-MIXED', 'CO-1', 2), [
    { ts: utc(now), value: 1, status: 0 },
    { ts: utc(now + 5000), value: 6, status: 0 }
  ], 'the valid items are stored')
  t.ok(await walApplied())
  t.equal(await sqlCount('RD-MIXED'), 2, 'and only they')
})

t.test('readings - envelope errors: 400 with details and nothing stored', async (t) => {
  await setup(app, 'RD-ENV', [{ code: 'CO-1' }])
  const now = baseTime()
  const item = { point: 'CO-1', ts: now, value: 1 }
  const send = async (payload: string | object, contentType = 'application/json') => await app.inject({
    method: 'POST', url: '/v1/readings', headers: { ...auth('gateway'), 'content-type': contentType }, payload
  })

  const noSite = await send({ readings: [item] })
  t.equal(noSite.statusCode, 400)
  t.match(noSite.json(), { error: 'MW_ERR_INVALID_BODY', message: String, details: [{ path: '/siteCode', message: "must have required property 'siteCode'" }] })

  const notArray = await send({ siteCode: 'RD-ENV', readings: item })
  t.equal(notArray.statusCode, 400)
  t.match(notArray.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/readings', message: 'must be array' }] })

  const badCode = await send({ siteCode: 'RD ENV', readings: [item] })
  t.equal(badCode.statusCode, 400)
  t.match(badCode.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/siteCode', message: /pattern/ }] })

  const notJson = await send(`{"siteCode":"RD-ENV","readings":[{"point":"CO-1","ts":${now},"value":1}]`)
  t.equal(notJson.statusCode, 400)
  t.match(notJson.json(), { error: 'MW_ERR_INVALID_BODY', message: /not valid JSON/ })

  const notObject = await send('[1, 2, 3]')
  t.equal(notObject.statusCode, 400)
  t.match(notObject.json(), { error: 'MW_ERR_INVALID_BODY' })

  const empty = await send('')
  t.equal(empty.statusCode, 400)
  t.match(empty.json(), { error: 'MW_ERR_INVALID_BODY' })

  const text = await send('siteCode=RD-ENV', 'text/plain')
  t.equal(text.statusCode, 400, 'plain text has no envelope')
  t.match(text.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/', message: 'must be object' }] })

  const xml = await send('<readings site="RD-ENV"/>', 'application/xml')
  t.equal(xml.statusCode, 400, 'a body that is not JSON by its content type')
  t.match(xml.json(), { error: 'MW_ERR_INVALID_BODY' })

  // the control: a valid batch after them is stored (acknowledged, so committed no earlier than anything before it)
  const marker = await send({ siteCode: 'RD-ENV', readings: [{ point: 'CO-1', ts: now + 1000, value: 7 }] })
  t.same([marker.statusCode, marker.json()], [200, { accepted: 1, rejected: [] }], 'a valid envelope after them is stored')
  t.ok(await walApplied())
  t.equal(await sqlCount('RD-ENV'), 1, 'nothing of the refused envelopes was stored, only the control')
  t.same(await storedOf('RD-ENV', 'CO-1', 1), [{ ts: utc(now + 1000), value: 7, status: 0 }])
})

t.test('readings - more than 10,000 items → 413; exactly 10,000 are accepted', async (t) => {
  await setup(app, 'RD-BIG', [{ code: 'CO-1' }])
  const now = baseTime()
  const items = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ point: 'CO-1', ts: now - i * 1000, value: i % 20 }))
  const tooMany = await post(app, 'RD-BIG', items(10_001))
  t.equal(tooMany.statusCode, 413)
  t.match(tooMany.json(), { error: 'MW_ERR_BATCH_TOO_LARGE', message: 'batch has 10001 items; at most 10000 are accepted' })
  const full = await post(app, 'RD-BIG', items(10_000))
  t.same([full.statusCode, full.json()], [200, { accepted: 10_000, rejected: [] }])
  t.ok(await walApplied())
  t.equal(await sqlCount('RD-BIG'), 10_000, 'the 413 stored nothing, the full batch everything')
})

t.test('readings - a body over the limit → 413', async (t) => {
  const small = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats, env: { MINEWATCH_BODY_LIMIT_BYTES: '2048' } })
  await setup(small, 'RD-LIMIT', [{ code: 'CO-1' }])
  const now = baseTime()
  const items = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ point: 'CO-1', ts: now - i * 1000, value: 1 }))
  const big = { siteCode: 'RD-LIMIT', readings: items(60) }
  t.ok(JSON.stringify(big).length > 2048)
  const res = await small.inject({ method: 'POST', url: '/v1/readings', headers: auth('gateway'), payload: big })
  t.equal(res.statusCode, 413)
  t.match(res.json(), { error: 'MW_ERR_BODY_TOO_LARGE' })
  const fits = await post(small, 'RD-LIMIT', items(10))
  t.same([fits.statusCode, fits.json()], [200, { accepted: 10, rejected: [] }], 'a body under the limit is fine')
  t.ok(await walApplied())
  t.equal(await sqlCount('RD-LIMIT'), 10)
})

t.test('readings - unknown site → 404 naming /siteCode', async (t) => {
  const res = await post(app, 'RD-NOWHERE', [{ point: 'CO-1', ts: baseTime(), value: 1 }])
  t.equal(res.statusCode, 404)
  t.same(res.json(), {
    error: 'MW_ERR_UNKNOWN_SITE',
    message: 'site "RD-NOWHERE" is not registered',
    details: [{ path: '/siteCode', message: 'site "RD-NOWHERE" is not registered' }]
  })
})

t.test('readings - GET with from, to and limit', async (t) => {
  await setup(app, 'RD-QUERY', [{ code: 'CO-1' }])
  const t0 = baseTime() - 10 * 60_000
  const at = (i: number): number => t0 + i * 60_000
  t.same((await post(app, 'RD-QUERY', [0, 1, 2, 3, 4].map((i) => ({ point: 'CO-1', ts: at(i), value: i })))).json(), { accepted: 5, rejected: [] })
  t.equal((await storedOf('RD-QUERY', 'CO-1', 5)).length, 5)
  const values = async (query: string): Promise<number[]> => {
    const res = await getReadings(app, 'RD-QUERY', 'CO-1', query)
    t.equal(res.statusCode, 200, query)
    return (res.json().readings as Stored[]).map((r) => r.value)
  }
  t.same(await values(`?from=${at(1)}&to=${at(3)}`), [1, 2, 3], 'from/to as epoch ms, both inclusive')
  t.same(await values(`?from=${encodeURIComponent(withOffset(at(2), 8))}`), [2, 3, 4], 'from as RFC 3339 with an offset')
  t.same(await values(`?to=${encodeURIComponent(utc(at(1)))}`), [0, 1], 'to alone')
  t.same(await values('?limit=2'), [0, 1], 'limit keeps the oldest first')
  t.same(await values(`?from=${at(1)}&limit=2`), [1, 2])
  t.same(await values(`?from=${at(4) + 1}`), [], 'nothing after the last')
  t.same(await values(`?from=${at(3)}&to=${at(1)}`), [], 'an empty window')

  const bad = await getReadings(app, 'RD-QUERY', 'CO-1', '?from=yesterday')
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { error: 'MW_ERR_INVALID_QUERY', details: [{ path: '/querystring/from' }] })
  for (const limit of ['0', '100001', 'ten', '-1', '1.5']) {
    const res = await getReadings(app, 'RD-QUERY', 'CO-1', `?limit=${limit}`)
    t.equal(res.statusCode, 400, `limit=${limit}`)
    t.match(res.json(), { error: 'MW_ERR_INVALID_QUERY', details: [{ path: '/querystring/limit' }] })
  }
})

t.test('readings - QuestDB unreachable → 503 with Retry-After, nothing acknowledged', async (t) => {
  const cut = await buildTestApp(t, {
    qdb: doomed.qdb,
    nats: svc.nats,
    env: { MINEWATCH_QDB_RETRY_TIMEOUT_MS: '0', MINEWATCH_QDB_REQUEST_TIMEOUT_MS: '1000' }
  })
  await setup(cut, 'RD-DOWN', [{ code: 'CO-1' }])
  const now = baseTime()
  t.same((await post(cut, 'RD-DOWN', [{ point: 'CO-1', ts: now, value: 1 }])).json(), { accepted: 1, rejected: [] }, 'while QuestDB is up')

  await doomed.stopQdb()
  const res = await post(cut, 'RD-DOWN', [{ point: 'CO-1', ts: now + 1000, value: 2 }, { point: 'CO-1', ts: now + 2000, value: 3 }])
  t.equal(res.statusCode, 503)
  t.ok(res.headers['retry-after'], 'Retry-After tells the gateway when to resend')
  t.ok(Number(res.headers['retry-after']) > 0)
  t.match(res.json(), { error: 'MW_ERR_STORAGE_UNAVAILABLE', message: String })
  t.notOk('accepted' in res.json(), 'nothing is acknowledged')
  const metrics = await cut.inject({ method: 'GET', url: '/metrics' })
  t.match(metrics.body, /minewatch_ingest_readings_rejected_total\{reason="storage_unavailable"\} 2/)
  t.match(metrics.body, /minewatch_ingest_readings_accepted_total 1\b/)
})
