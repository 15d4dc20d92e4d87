import t from 'tap'
import { ManualClock } from '../../../../src/lib/clock.js'
import { AREA_LIMITS, buildFleet, peopleAt, UG_POSITIONING, type Fleet, type FleetSite } from '../../../../src/tools/simulate/fleet/index.js'
import { createFeed } from '../../../../src/tools/simulate/feed.js'
import { gridIn, siteInputs } from '../../../../src/tools/simulate/inputs.js'
import { createScenario } from '../../../../src/tools/simulate/scenarios/index.js'
import { OVERCROWDING } from '../../../../src/tools/simulate/scenarios/overcrowding.js'
import { OUTAGE } from '../../../../src/tools/simulate/scenarios/gateway-outage.js'
import { DEFAULT_SEED } from '../../../../src/tools/simulate/signals.js'

const fleet = buildFleet()
const MIN = 60_000
const HOUR = 60 * MIN
const AT = Date.parse('2026-11-21T10:00:00+08:00')
const xs = fleet.sites.find((s) => s.code === 'SG-XS') as FleetSite
const local = (ms: number): string => new Date(ms + 8 * HOUR).toISOString().slice(11, 16)

t.test('personnel - three shifts, a leader with each crew, nobody 8 h underground, areas under their limits', async (t) => {
  const day = Date.parse('2026-11-21T00:00:00+08:00')
  const headcounts: number[] = []
  const problems: string[] = []
  for (let ts = day; ts < day + 24 * HOUR; ts += 30_000) {
    const people = peopleAt('SG-XS', UG_POSITIONING, ts)
    headcounts.push(people.length)
    if (people.length === 0) continue
    const leaders = people.filter((p) => p.role === 'leader')
    if (leaders.length !== 1) problems.push(`${local(ts)}: ${leaders.length} leaders`)
    if (people.some((p) => ts - p.enteredAt >= 8 * HOUR)) problems.push(`${local(ts)}: someone 8 h underground`)
    const byArea = new Map<string, number>()
    for (const p of people) byArea.set(p.area, (byArea.get(p.area) ?? 0) + 1)
    for (const [area, n] of byArea) if (n > (AREA_LIMITS[area] ?? 0)) problems.push(`${local(ts)}: ${n} in ${area}`)
  }
  t.same(problems.slice(0, 10), [], 'every snapshot with people has one leader, no overtime, areas within limits')
  t.equal(Math.max(...headcounts), 64, 'the early shift is the largest: 64, well under the approved 180')
  t.equal(xs.input.approvedHeadcount, 180)
  const at10 = peopleAt('SG-XS', UG_POSITIONING, AT)
  t.equal(at10.length, 64)
  t.same(at10.filter((p) => p.role === 'leader').map((p) => p.card), ['CA000'], 'crew A\'s duty leader')
  t.ok(at10.every((p) => local(p.enteredAt) >= '07:00' && local(p.enteredAt) <= '07:25'), 'entered 07:00-07:25')
  t.equal(peopleAt('SG-XS', UG_POSITIONING, Date.parse('2026-11-21T18:00:00+08:00')).length, 46, 'the middle shift')
  t.equal(peopleAt('SG-XS', UG_POSITIONING, Date.parse('2026-11-21T03:00:00+08:00')).length, 30, 'the night shift (entered yesterday 23:00)')
  const leader = at10.find((p) => p.role === 'leader')
  const workers = at10.filter((p) => p.role === 'worker')
  t.ok(leader !== undefined && workers.every((w) => w.enteredAt > leader.enteredAt), 'the leader goes down first')
  t.same(peopleAt('SG-XS', UG_POSITIONING, AT), at10, 'a pure function of time')
})

t.test('inputs - a window holds snapshots every 30 s and heartbeats every 60 s of every channel', async (t) => {
  t.same(gridIn(0, 90_000, 30_000), [30_000, 60_000, 90_000])
  const got = siteInputs(xs, AT - MIN, AT, undefined)
  t.same(got.map((r) => [r.path, r.token, r.phase, r.ts - AT]), [
    ['/v1/sites/SG-XS/personnel', 'gateway', 'after', -30_000],
    ['/v1/sites/SG-XS/personnel', 'gateway', 'after', 0],
    ['/v1/video/heartbeats', 'gateway', 'after', 0]
  ])
  const snap = got[1]?.body as { ts: string, people: Array<{ card: string, role: string, area: string, enteredAt: string }> }
  t.equal(snap.ts, '2026-11-21T10:00:00.000+08:00')
  t.equal(snap.people.length, 64)
  t.match(snap.people[0], { card: 'CA000', role: 'leader', area: 'A5', enteredAt: '2026-11-21T07:02:00.000+08:00' })
  const hb = got[2]?.body as { siteCode: string, channels: Array<{ channelCode: string, online: boolean }> }
  t.equal(hb.channels.length, 12)
  t.ok(hb.channels.every((c) => c.online))
  const pond = fleet.sites.find((s) => s.code === 'SG-DSH-TP') as FleetSite
  t.same(siteInputs(pond, AT - MIN, AT, undefined).map((r) => r.path), ['/v1/video/heartbeats'], 'no positioning at a pond')
})

t.test('scenarios - overcrowding: approved + 15 underground and area A5 over its limit, for an hour', async (t) => {
  const s = createScenario(['overcrowding'], { at: AT, fleet, seed: DEFAULT_SEED })
  const clean = peopleAt('SG-XS', UG_POSITIONING, AT + MIN)
  const crowded = s.people?.(xs, AT + MIN, clean) ?? clean
  t.equal(crowded.length, 180 + OVERCROWDING.overMine)
  t.equal(crowded.filter((p) => p.area === 'A5').length, (AREA_LIMITS.A5 ?? 0) + OVERCROWDING.overArea)
  t.equal(new Set(crowded.map((p) => p.card)).size, crowded.length, 'cards are unique')
  t.equal(s.people?.(xs, AT - 30_000, clean), undefined, 'clean before')
  t.equal(s.people?.(xs, AT + HOUR, clean), undefined, 'clean after the hour')
  const night = peopleAt('SG-XS', UG_POSITIONING, AT + 17 * HOUR)
  t.equal(createScenario(['overcrowding'], { at: AT + 17 * HOUR, fleet, seed: 1 }).people?.(xs, AT + 17 * HOUR, night)?.length, 195, 'on the small night shift too')
})

t.test('scenarios - suspension-production: suspended for 3 h with the belt running and trucks leaving', async (t) => {
  const s = createScenario(['suspension-production'], { at: AT, fleet, seed: DEFAULT_SEED })
  const events = s.events?.(xs, AT - 1, AT + 4 * HOUR) ?? []
  t.same(events.filter((e) => e.kind === 'status').map((e) => [e.ts - AT, e.kind === 'status' ? e.status : '']), [[0, 'suspended'], [3 * HOUR, 'producing']])
  const belt = events.filter((e) => e.kind === 'video' && e.type === 'belt_running')
  const trucks = events.filter((e) => e.kind === 'video' && e.type === 'vehicle_departure')
  t.equal(belt.length, 18, 'belt running every 10 min from +5 min')
  t.equal(trucks.length, 12, 'a truck every 15 min from +7 min')
  t.ok([...belt, ...trucks].every((e) => e.ts > AT && e.ts < AT + 3 * HOUR), 'only while suspended')
  t.same(s.events?.(fleet.sites[1] as FleetSite, AT - 1, AT + HOUR), [], 'other sites untouched')
  const windowed = [0, 1, 2, 3].flatMap((h) => s.events?.(xs, AT - 1 + h * HOUR, AT - 1 + (h + 1) * HOUR) ?? [])
  t.same(windowed, events, 'windows partition the events (none twice, none lost)')
  const req = siteInputs(xs, AT - 1, AT + 10 * MIN, s)
  t.match(req[0], { phase: 'before', token: 'admin', path: '/v1/sites/SG-XS/status', body: { status: 'suspended', since: '2026-11-21T10:00:00.000+08:00' } })
  t.match(req.find((r) => r.path === '/v1/video/events')?.body, { siteCode: 'SG-XS', events: [{ channel: 'V05', type: 'belt_running', ts: '2026-11-21T10:05:00.000+08:00' }, { channel: 'V06', type: 'vehicle_departure' }] })
})

t.test('scenarios - sos: one SOS from a worker underground, in his area', async (t) => {
  const s = createScenario(['sos'], { at: AT, fleet, seed: DEFAULT_SEED })
  const events = s.events?.(xs, AT - MIN, AT + HOUR) ?? []
  t.equal(events.length, 1)
  const e = events[0]
  const down = peopleAt('SG-XS', UG_POSITIONING, AT)
  t.ok(e?.kind === 'sos' && down.some((p) => p.card === e.card && p.area === e.area && p.role === 'worker'), `${JSON.stringify(e)} is a worker underground`)
  t.same(s.events?.(xs, AT, AT + HOUR), [], 'once')
  t.match(siteInputs(xs, AT - 1, AT, s).find((r) => r.path.endsWith('/personnel/events'))?.body, { type: 'sos', ts: '2026-11-21T10:00:00.000+08:00' })
})

t.test('scenarios - gateway-outage: the feed sends nothing for 15 min, then backfills every missed reading', async (t) => {
  const one: Fleet = { sites: [{ code: xs.code, input: xs.input, channels: [], points: xs.points.filter((p) => p.def.pointCode === 'CO-001') }] }
  const clock = new ManualClock(AT - MIN)
  const posts: Array<{ url: string, body: any }> = []
  const fetch = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body))
    if (init.method === 'POST') posts.push({ url, body })
    return Response.json(init.method === 'POST' ? { accepted: body.readings?.length ?? 1, rejected: [] } : {})
  }) as unknown as typeof globalThis.fetch
  const feed = createFeed({
    baseUrl: 'http://sim.test',
    adminToken: 'A',
    gatewayToken: 'G',
    fleet: one,
    now: () => clock.now(),
    fetch,
    scenario: createScenario(['gateway-outage'], { at: AT, fleet, seed: DEFAULT_SEED })
  })
  await feed.tick()
  t.equal(posts.length, 1, 'before the outage: sent')
  for (let m = 0; m < 15; m++) {
    clock.advance(MIN)
    await feed.tick()
  }
  t.equal(posts.length, 1, 'nothing during the outage')
  t.equal(feed.stats().pending, 15 * 3, 'the missed readings are kept')
  clock.advance(MIN) // AT + 15 min: back
  await feed.tick()
  const backfill = posts.slice(1).flatMap((p) => p.body.readings as Array<{ ts: string }>)
  t.equal(backfill.length, 15 * 3 + 3, 'every reading of the outage and the new minute')
  t.equal(backfill[0]?.ts, '2026-11-21T09:59:20.000+08:00', 'from the first missed one, in order')
  t.equal(feed.stats().pending, 0)
  t.equal(OUTAGE.durationMs, 15 * MIN)
})

t.test('feed - registers video channels and posts positioning and heartbeats with the readings', async (t) => {
  const small: Fleet = { sites: [{ ...xs, points: xs.points.filter((p) => p.def.pointCode === 'CO-001') }] }
  const calls: Array<{ method: string, url: string, auth: string, body: any }> = []
  const clock = new ManualClock(AT)
  const fetch = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body))
    calls.push({ method: String(init.method), url, auth: (init.headers as Record<string, string>).authorization ?? '', body })
    return Response.json(url.endsWith('/v1/readings') ? { accepted: body.readings.length, rejected: [] } : { accepted: 1 })
  }) as unknown as typeof globalThis.fetch
  const feed = createFeed({
    baseUrl: 'http://sim.test',
    adminToken: 'A',
    gatewayToken: 'G',
    fleet: small,
    now: () => clock.now(),
    fetch,
    scenario: createScenario(['suspension-production'], { at: AT, fleet, seed: DEFAULT_SEED })
  })
  await feed.register()
  t.same(calls.map((c) => `${c.method} ${c.url.slice('http://sim.test'.length)}`), ['PUT /v1/sites/SG-XS', 'PUT /v1/sites/SG-XS/points', 'PUT /v1/sites/SG-XS/video/channels'])
  t.equal(calls[2]?.body.length, 12)
  calls.length = 0
  await feed.tick()
  t.same(calls.map((c) => `${c.url.slice('http://sim.test'.length)} ${c.auth}`), [
    '/v1/sites/SG-XS/status Bearer A',
    '/v1/readings Bearer G',
    '/v1/sites/SG-XS/personnel Bearer G',
    '/v1/sites/SG-XS/personnel Bearer G',
    '/v1/video/heartbeats Bearer G'
  ], 'the status change first, then the readings, then positioning and video in time order')
  t.equal(feed.stats().inputs, 4)
})
