// The simulated fleet against the real app, QuestDB and nats-server: registration, a compressed run that
// catches up with the clock, every reading accepted and stored, positioning and video accepted, and no alarm
// of any kind.
// Time is virtual (the app's clock and scheduler seams, and the feed's clock): the run is bounded by content,
// not by a wall-clock duration. The feed starts 30 s of simulated time in the past at 20× and the test ticks it
// every 200 ms of virtual time until it has caught up with the clock. Why no no-data alarm can fire: a 20 s
// point's newest reading is then at most 30 + 20 s old, below its silence threshold (3 × 20 s); the no-data
// check runs every 200 ms of virtual time to make sure. The control: once the feed stops, the same checks must
// raise a site no-data alarm for every site, seen by the same observers.
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { clockOf } from '../../src/lib/clock.js'
import { advanceTo, createReplayScheduler } from '../../src/lib/virtual-time.js'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp, TOKENS } from '../helpers/app.js'
import { AlarmLedger, AlarmWatch } from '../helpers/alarm-watch.js'
import { until } from '../helpers/wait.js'
import { buildFleet, fleetPoints, peopleAt } from '../../src/tools/simulate/fleet/index.js'
import { createFeed } from '../../src/tools/simulate/feed.js'

const svc = await startServices(t)
const scheduler = createReplayScheduler(Math.floor(Date.now() / 1000) * 1000)
const app = await buildTestApp(t, {
  qdb: svc.qdb,
  nats: svc.nats,
  clock: clockOf(scheduler),
  scheduler,
  env: { MINEWATCH_OFFLINE_CHECK_MS: '200', MINEWATCH_RULES_RELOAD_CRON: '0 0 1 1 *' }
})
const ledger = AlarmLedger.attach(t, app)
const watch = await AlarmWatch.open(svc.nats.url)
t.teardown(() => watch.close())
await app.listen({ port: 0, host: '127.0.0.1' })
const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

t.test('simulate - a clean compressed feed is accepted whole, stored, and raises no alarm', async (t) => {
  const fleet = buildFleet()
  const points = fleetPoints(fleet)
  const startedAt = scheduler.now()
  const feed = createFeed({
    baseUrl,
    adminToken: TOKENS.admin,
    gatewayToken: TOKENS.gateway,
    fleet,
    speed: 20,
    startAt: startedAt - 30_000,
    now: () => scheduler.now(),
    // the feed's own timer would tick an hour from now: the test ticks it, in virtual time
    tickMs: 3_600_000
  })
  await feed.start()
  t.equal(feed.stats().accepted, points.length, 'the first tick posts one reading per point')
  // 200 ms of virtual time a tick until the feed caught up with the clock (30 s at 20×: 8 ticks), bounded
  for (let ticks = 0; (feed.stats().simTime ?? -Infinity) < scheduler.now(); ticks++) {
    if (ticks >= 100) throw new Error(`the feed did not catch up in 100 ticks: ${JSON.stringify(feed.stats())}`)
    advanceTo(scheduler, scheduler.now() + 200)
    await feed.tick()
  }
  await feed.stop()
  const s = feed.stats()
  t.equal(s.simTime, scheduler.now(), 'caught up with the clock')
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
  const count = async (): Promise<number> => Number((await app.questdb.reader.query<{ n: unknown }>(`select count() n from readings where site in (${sites})`))[0]?.n)
  await until(async () => await count() >= s.accepted ? true : undefined, 'the accepted readings stored', 60_000)
  t.equal(await count(), s.accepted, 'every accepted reading is stored')

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

  advanceTo(scheduler, scheduler.now() + 1000) // five more no-data checks
  await ledger.settled(watch)
  t.equal(ledger.changes, 0, 'the engine reported no condition')
  t.same(watch.seen, [], 'nothing published')
  const alarms = await app.inject({ method: 'GET', url: '/v1/alarms?state=all', headers: auth('operator') })
  t.equal(alarms.statusCode, 200)
  t.same(alarms.json().alarms, [], 'no alarm at all: no over-limit, no device fault, no data gap')

  // the control: with the feed stopped, the same no-data checks find every site silent within half an hour,
  // and the same observers see it
  advanceTo(scheduler, scheduler.now() + 30 * 60_000)
  await ledger.settled(watch)
  const silent = new Set(watch.seen.filter((m) => m.body.ruleId === 'connectivity.site.no_data' && m.body.transition === 'raised').map((m) => m.body.siteCode))
  t.same([...silent].sort(), fleet.sites.map((x) => x.code).sort(), 'control: every silent site raises its no-data alarm, published')
  const open = await app.inject({ method: 'GET', url: '/v1/alarms?state=open', headers: auth('operator') })
  t.same([...new Set((open.json().alarms as Array<{ ruleId: string, siteCode: string }>).filter((a) => a.ruleId === 'connectivity.site.no_data').map((a) => a.siteCode))].sort(),
    [...silent].sort(), 'and listed by GET /v1/alarms')
})
