import t from 'tap'
import { ManualClock } from '../../../../src/lib/clock.js'
import { parseTokens } from '../../../../src/server/auth/tokens.js'
import { buildFleet, type Fleet } from '../../../../src/tools/simulate/fleet/index.js'
import { createFeed, feedTokens, isoBeijing, type FeedOptions } from '../../../../src/tools/simulate/feed.js'
import { valueAt } from '../../../../src/tools/simulate/signals.js'

interface Call { method: string, url: string, auth: string, body: any }
type Responder = (call: Call) => Response

// one small site: two CO points (20 s) and a slope point (300 s) of the real fleet, without video and
// positioning (the inputs test adds them back)
function smallFleet (): Fleet {
  const xs = buildFleet().sites.find((s) => s.code === 'SG-XS')
  const sc = buildFleet().sites.find((s) => s.code === 'SG-SC')
  if (xs === undefined || sc === undefined) throw new Error('fleet changed')
  return {
    sites: [
      { code: xs.code, input: xs.input, channels: [], points: xs.points.filter((p) => p.def.pointCode === 'CO-001' || p.def.pointCode === 'CO-002') },
      { code: sc.code, input: sc.input, channels: [], points: sc.points.filter((p) => p.def.pointCode === 'S1-GNSS01-H') }
    ]
  }
}

const ok: Responder = (c) => c.method === 'POST'
  ? Response.json({ accepted: c.body.readings.length, rejected: [] })
  : Response.json({})

function harness (respond: Responder = ok, o: Partial<FeedOptions> = {}): { calls: Call[], clock: ManualClock, feed: ReturnType<typeof createFeed>, posts: () => Call[] } {
  const calls: Call[] = []
  const clock = new ManualClock(Date.parse('2026-11-21T08:00:05+08:00'))
  const fetch = (async (url: string, init: RequestInit) => {
    const call = { method: String(init.method), url, auth: (init.headers as Record<string, string>).authorization ?? '', body: JSON.parse(String(init.body)) }
    calls.push(call)
    return respond(call)
  }) as unknown as typeof globalThis.fetch
  const feed = createFeed({ baseUrl: 'http://sim.test/', adminToken: 'ADMIN', gatewayToken: 'GATEWAY', fleet: smallFleet(), now: () => clock.now(), fetch, ...o })
  return { calls, clock, feed, posts: () => calls.filter((c) => c.method === 'POST') }
}

t.test('simulate - feed registers sites and points with the admin token', async (t) => {
  const h = harness()
  await h.feed.register()
  t.same(h.calls.map((c) => [c.method, c.url, c.auth]), [
    ['PUT', 'http://sim.test/v1/sites/SG-XS', 'Bearer ADMIN'],
    ['PUT', 'http://sim.test/v1/sites/SG-XS/points', 'Bearer ADMIN'],
    ['PUT', 'http://sim.test/v1/sites/SG-SC', 'Bearer ADMIN'],
    ['PUT', 'http://sim.test/v1/sites/SG-SC/points', 'Bearer ADMIN']
  ])
  t.equal(h.calls[0]?.body.name, '杏山铁矿')
  t.same(h.calls[1]?.body.map((p: { pointCode: string }) => p.pointCode), ['CO-001', 'CO-002'])
  const failing = harness(() => new Response('{"error":"forbidden"}', { status: 403 }))
  await t.rejects(failing.feed.register(), /PUT \/v1\/sites\/SG-XS: 403/)
})

t.test('simulate - feed posts one batch per site of the due readings, on each point\'s grid', async (t) => {
  const h = harness()
  await h.feed.tick()
  const [xs, sc] = h.posts()
  t.equal(h.posts().length, 2)
  t.equal(xs?.auth, 'Bearer GATEWAY')
  const t0 = Date.parse('2026-11-21T08:00:00+08:00')
  const co1 = h.feed.fleet.sites[0]?.points[0]
  if (co1 === undefined) throw new Error('no point')
  t.same(xs?.body, {
    siteCode: 'SG-XS',
    readings: [
      { point: 'CO-001', ts: '2026-11-21T08:00:00.000+08:00', value: valueAt(co1, t0), status: 0 },
      { point: 'CO-002', ts: '2026-11-21T08:00:00.000+08:00', value: valueAt(h.feed.fleet.sites[0]?.points[1] as typeof co1, t0), status: 0 }
    ]
  })
  t.same(sc?.body.readings.map((r: { ts: string }) => r.ts), ['2026-11-21T08:00:00.000+08:00'], 'the 300 s point is on its grid too')
  h.clock.advance(10_000)
  await h.feed.tick()
  t.equal(h.posts().length, 2, 'nothing due 10 s later: no request')
  h.clock.advance(45_000) // 08:01:00
  await h.feed.tick()
  t.same(h.posts()[2]?.body.readings.map((r: { point: string, ts: string }) => `${r.point}@${r.ts.slice(11, 19)}`),
    ['CO-001@08:00:20', 'CO-001@08:00:40', 'CO-001@08:01:00', 'CO-002@08:00:20', 'CO-002@08:00:40', 'CO-002@08:01:00'], 'a late tick catches up every period')
  t.same(h.feed.stats(), { ticks: 3, batches: 3, accepted: 9, rejected: 0, unavailable: 0, failures: 0, dropped: 0, pending: 0, inputs: 0, simTime: h.clock.now() })
})

t.test('simulate - feed keeps readings on 503 and resends after Retry-After', async (t) => {
  let busy = true
  const h = harness((c) => c.method === 'POST' && busy
    ? Response.json({ error: 'unavailable' }, { status: 503, headers: { 'Retry-After': '2' } })
    : ok(c))
  await h.feed.tick()
  t.equal(h.feed.stats().unavailable, 2)
  t.equal(h.feed.stats().pending, 3)
  busy = false
  h.clock.advance(1_000)
  await h.feed.tick()
  t.equal(h.posts().length, 2, 'not before Retry-After')
  h.clock.advance(1_000)
  await h.feed.tick()
  t.equal(h.posts().length, 4, 'resent after Retry-After')
  t.equal(h.posts()[2]?.body.readings.length, 2, 'the kept readings, once each')
  t.same(h.feed.stats().accepted, 3)
  t.same(h.feed.stats().pending, 0)
})

t.test('simulate - feed splits large catch-ups into batches and counts rejections', async (t) => {
  const h = harness((c) => c.method === 'POST'
    ? Response.json({ accepted: c.body.readings.length - 1, rejected: [{ index: 0, path: '/readings/0/ts', message: 'x' }] })
    : ok(c), { maxBatch: 4, speed: 60, startAt: Date.parse('2026-11-21T07:58:00+08:00') })
  await h.feed.tick() // sim 07:58:00: one reading per point
  h.clock.advance(3_000) // sim 07:58:00 + 180 s, capped at the clock (08:00:08)
  await h.feed.tick()
  const sim = h.feed.stats().simTime
  t.equal(sim, h.clock.now(), 'simulated time never passes the clock')
  const co = h.posts().filter((c) => c.body.siteCode === 'SG-XS').slice(1)
  t.same(co.map((c) => c.body.readings.length), [4, 4, 4], '6 periods × 2 points in batches of 4')
  t.equal(h.feed.stats().rejected, h.posts().length)
})

t.test('simulate - the scenario seam overrides or drops readings', async (t) => {
  const h = harness()
  h.feed.setScenario({
    name: 'co-rise',
    override: (s) => s.point.def.pointCode === 'CO-001' ? { value: 30, status: 1 } : (s.point.def.pointCode === 'CO-002' ? null : undefined)
  })
  await h.feed.tick()
  t.same(h.posts()[0]?.body.readings.map((r: { point: string, value: number, status: number }) => [r.point, r.value, r.status]), [['CO-001', 30, 1]])
  t.equal(h.posts()[1]?.body.readings[0].status, 0, 'other points stay clean')
})

t.test('simulate - feedTokens picks admin and gateway tokens that cover the fleet', async (t) => {
  const fleet = buildFleet()
  const tokens = parseTokens(JSON.stringify([
    { token: 'operator-token-0123456789', role: 'operator', sites: ['*'] },
    { token: 'gateway-one-site-0123456789', role: 'gateway', sites: ['SG-XS'] },
    { token: 'gateway-all-0123456789', role: 'gateway', sites: ['*'] },
    { token: 'admin-token-0123456789', role: 'admin', sites: ['*'] }
  ]), 'test')
  t.same(feedTokens(tokens, fleet), { adminToken: 'admin-token-0123456789', gatewayToken: 'gateway-all-0123456789' })
  t.equal(feedTokens(parseTokens(JSON.stringify([{ token: 'admin-token-0123456789', role: 'admin', sites: ['*'] }]), 't'), fleet), undefined)
  t.equal(isoBeijing(Date.parse('2026-11-21T00:00:20Z')), '2026-11-21T08:00:20.000+08:00')
  t.throws(() => createFeed({ baseUrl: 'x', adminToken: 'a', gatewayToken: 'g', speed: 0 }), RangeError)
})
