// DQ-8 5-minute statistics through the real app against a real QuestDB: the readings_5m materialized view
// (migrations/005) gives the right min/max/mean/count per 5-minute bucket, leaves out readings that are not
// measurements (calibration), follows late and upserted readings, and GET …/stats filters by from/to.
// The view refreshes once a minute (and asynchronously), so reads ask for a refresh and poll (bounded) for what they expect.
import t from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'

interface Bucket { ts: string, min: number, max: number, mean: number, count: number }

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })

const FIVE_MIN = 300_000
// a 5-minute boundary half an hour ago: inside retention and the skew bound, and a whole bucket in the past
const BASE = Math.floor((Date.now() - 30 * 60_000) / FIVE_MIN) * FIVE_MIN
const SITE = 'ST-5M'

async function call (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, role: 'admin' | 'gateway' | 'operator' = 'admin'): Promise<LightMyRequestResponse> {
  return await app.inject({ method, url, headers: auth(role), ...(payload === undefined ? {} : { payload: payload as object }) })
}

async function post (readings: Array<{ point: string, ts: number, value: number, status?: number }>): Promise<void> {
  const res = await call('POST', '/v1/readings', { siteCode: SITE, readings }, 'gateway')
  if (res.statusCode !== 200 || res.json().accepted !== readings.length) throw new Error(`POST readings: ${res.statusCode} ${res.body}`)
}

/** statsUntil polls GET …/stats until `done` holds (or 60 s pass: the bound only catches hangs) and returns the last buckets. */
async function statsUntil (app: FastifyInstance, point: string, query: string, done: (b: Bucket[]) => boolean): Promise<Bucket[]> {
  const until = Date.now() + 60_000
  for (;;) {
    // the view refreshes once a minute on its own: ask for the incremental refresh a test cannot wait for
    await app.questdb.reader.query('REFRESH MATERIALIZED VIEW readings_5m INCREMENTAL')
    const res = await app.inject({ method: 'GET', url: `/v1/sites/${SITE}/points/${point}/stats${query}`, headers: auth('operator') })
    if (res.statusCode !== 200) throw new Error(`GET stats: ${res.statusCode} ${res.body}`)
    const stats = res.json().stats as Bucket[]
    if (done(stats) || Date.now() > until) return stats
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

const iso = (ms: number): string => new Date(ms).toISOString()

t.before(async () => {
  const site = await call('PUT', `/v1/sites/${SITE}`, { name: '统计测试矿', kind: 'underground', status: 'producing' })
  if (site.statusCode !== 200) throw new Error(`PUT site: ${site.body}`)
  // intervalS of an hour: no no-data alarm interferes
  const points = await call('PUT', `/v1/sites/${SITE}/points`, ['CO-1', 'CO-2'].map((pointCode) =>
    ({ pointCode, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 3600, range: [0, 1000] })))
  if (points.statusCode !== 200) throw new Error(`PUT points: ${points.body}`)
})

t.test('stats - min, max, mean and count per 5-minute bucket; calibration readings left out', async (t) => {
  await post([
    { point: 'CO-1', ts: BASE, value: 2 },
    { point: 'CO-1', ts: BASE + 60_000, value: 8 },
    { point: 'CO-1', ts: BASE + 120_000, value: 5 },
    { point: 'CO-1', ts: BASE + 180_000, value: 500, status: 4 }, // calibration gas: not a measurement
    { point: 'CO-1', ts: BASE + FIVE_MIN, value: 10 },
    { point: 'CO-1', ts: BASE + FIVE_MIN + 60_000, value: 20 },
    { point: 'CO-2', ts: BASE + 60_000, value: 99 } // another point in the same bucket stays apart
  ])
  const want = [
    { ts: iso(BASE), min: 2, max: 8, mean: 5, count: 3 },
    { ts: iso(BASE + FIVE_MIN), min: 10, max: 20, mean: 15, count: 2 }
  ]
  t.same(await statsUntil(app, 'CO-1', '', (b) => b.length === 2 && b[1]?.count === 2), want)
  t.same(await statsUntil(app, 'CO-2', '', (b) => b.length === 1), [{ ts: iso(BASE), min: 99, max: 99, mean: 99, count: 1 }])

  t.same(await statsUntil(app, 'CO-1', `?from=${BASE + 1}`, (b) => b.length === 1), [want[1]], 'from is compared with the bucket start')
  t.same(await statsUntil(app, 'CO-1', `?to=${encodeURIComponent(iso(BASE))}`, (b) => b.length === 1), [want[0]], 'to is inclusive')
  t.same(await statsUntil(app, 'CO-1', '?limit=1', (b) => b.length === 1), [want[0]], 'limit keeps the oldest first')
})

t.test('stats - a late reading and an upserted resend recompute their bucket', async (t) => {
  await post([
    { point: 'CO-1', ts: BASE + 60_000, value: 1 }, // replaces 8 (same site, point, ts)
    { point: 'CO-1', ts: BASE + 240_000, value: 11 } // late, into the first bucket
  ])
  const first = (await statsUntil(app, 'CO-1', `?to=${BASE}`, (b) => b[0]?.count === 4))[0]
  t.same(first, { ts: iso(BASE), min: 1, max: 11, mean: (2 + 1 + 5 + 11) / 4, count: 4 })
})

t.test('stats - bad query → 400 naming the parameter; unknown site → 404', async (t) => {
  const bad = await call('GET', `/v1/sites/${SITE}/points/CO-1/stats?from=yesterday`, undefined, 'operator')
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { error: 'MW_ERR_INVALID_QUERY', details: [{ path: '/querystring/from' }] })
  const ghost = await call('GET', '/v1/sites/ST-GHOST/points/CO-1/stats', undefined, 'operator')
  t.equal(ghost.statusCode, 404)
  t.match(ghost.json(), { error: 'MW_ERR_UNKNOWN_SITE' })
  const none = await call('GET', `/v1/sites/${SITE}/points/NOPE/stats`, undefined, 'operator')
  t.same(none.json(), { siteCode: SITE, pointCode: 'NOPE', intervalS: 300, stats: [] }, 'a point without readings has no buckets')
})
