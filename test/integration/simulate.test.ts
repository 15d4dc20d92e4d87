// The simulated fleet against the real app, QuestDB and nats-server: registration, a compressed run that
// catches up with the clock, every reading accepted and stored, positioning and video accepted, and no alarm
// of any kind.
// Why no no-data alarm can fire: simulated time starts 30 s in the past at 20× and never passes the clock,
// so a 20 s point's newest reading is at most 30 + 20 s old, below its silence threshold (3 × 20 s); the
// no-data check runs every 200 ms here to make sure.
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp, TOKENS } from '../helpers/app.js'
import { buildFleet, fleetPoints, peopleAt } from '../../src/simulate/fleet/index.js'
import { createFeed } from '../../src/simulate/feed.js'

const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats, env: { MINEWATCH_OFFLINE_CHECK_MS: '200' } })
await app.listen({ port: 0, host: '127.0.0.1' })
const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

t.test('simulate - a clean compressed feed is accepted whole, stored, and raises no alarm', async (t) => {
  const fleet = buildFleet()
  const points = fleetPoints(fleet)
  const feed = createFeed({
    baseUrl, adminToken: TOKENS.admin, gatewayToken: TOKENS.gateway, fleet, speed: 20, startAt: Date.now() - 30_000, tickMs: 200
  })
  await feed.start()
  t.equal(feed.stats().accepted, points.length, 'the first tick posts one reading per point')
  await sleep(4000)
  await feed.stop()
  const s = feed.stats()
  t.equal(s.rejected, 0, 'nothing rejected')
  t.equal(s.unavailable, 0, 'no 503')
  t.equal(s.failures, 0)
  t.equal(s.pending, 0, 'nothing left to send')
  const fast = points.filter((p) => p.intervalS === 20).length
  t.ok(s.accepted >= points.length + fast, `caught up: ${s.accepted} readings accepted`)
  t.ok(s.batches >= fleet.sites.length)

  const registered = await app.inject({ method: 'GET', url: '/v1/sites/SG-XS/points', headers: auth('operator') })
  t.equal(registered.statusCode, 200)
  t.equal(registered.json().length, points.filter((p) => p.site === 'SG-XS').length, 'the underground mine is registered with its points')

  // every accepted reading is stored once (QuestDB applies WAL shortly after the ack: poll, bounded)
  const sites = fleet.sites.map((x) => `'${x.code}'`).join(',')
  let stored = -1
  for (const until = Date.now() + 10_000; Date.now() < until; await sleep(100)) {
    const rows = await app.questdb.reader.query<{ n: unknown }>(`select count() n from readings where site in (${sites})`)
    stored = Number(rows[0]?.n)
    if (stored >= s.accepted) break
  }
  t.equal(stored, s.accepted, 'every accepted reading is stored')

  // positioning and video: the channels registered, the latest snapshot is who the shift pattern has underground
  t.ok(s.inputs > 0, `${s.inputs} positioning snapshots and video heartbeats accepted`)
  const channels = await app.inject({ method: 'GET', url: '/v1/sites/SG-XS/video/channels', headers: auth('operator') })
  t.equal(channels.json().length, 12, 'the underground mine\'s 12 video channels')
  const xs = fleet.sites.find((x) => x.code === 'SG-XS')
  const snapshot = (await app.inject({ method: 'GET', url: '/v1/sites/SG-XS/personnel', headers: auth('operator') })).json()
  if (xs?.positioning === undefined) throw new Error('no positioning')
  t.equal(snapshot.headcount, peopleAt('SG-XS', xs.positioning, Date.parse(snapshot.ts)).length, `the latest snapshot (${String(snapshot.ts)}) holds the shift on duty`)

  const co = await app.inject({ method: 'GET', url: '/v1/sites/SG-XS/points/CO-001/readings', headers: auth('operator') })
  const values = co.json().readings as Array<{ value: number, status: number }>
  t.ok(values.length >= 2 && values.every((r) => r.value >= 0 && r.value < 20 && r.status === 0), 'CO readings are clean')

  await sleep(500) // a few more no-data checks
  const alarms = await app.inject({ method: 'GET', url: '/v1/alarms?state=all', headers: auth('operator') })
  t.equal(alarms.statusCode, 200)
  t.same(alarms.json().alarms, [], 'no alarm at all: no over-limit, no device fault, no data gap')
})
