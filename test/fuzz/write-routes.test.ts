// Fuzz - every write route, through inject, against a real QuestDB and NATS: a valid body with one field set to a
// hostile value, dropped, or joined by an unknown one. For every case: never a 5xx; a 4xx carries a code and, when
// it is about the body, details naming the item and field that was changed; a 200 rejects only the changed item;
// nothing rejected is stored and a refused all-or-nothing request changes nothing. After each route the server
// still stores a valid batch and /ready answers 200. Each case uses a site of its own.
import t from 'tap'
import fc from 'fast-check'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { walApplied } from '../helpers/wal.js'
import { until } from '../helpers/wait.js'
import { apply, fuzzOptions, mutation, related, RUNS, type Mutation } from './hostile.js'

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
const reader = app.questdb.reader
let n = 0
const now = (): number => Math.floor(Date.now() / 1000) * 1000 - 60_000

interface Answer { status: number, body: any }

async function send (method: 'GET' | 'POST' | 'PUT', url: string, text?: string, role: 'admin' | 'gateway' | 'operator' = 'admin'): Promise<Answer> {
  const res = await app.inject({ method, url, headers: { ...auth(role), ...(text === undefined ? {} : { 'content-type': 'application/json' }) }, ...(text === undefined ? {} : { payload: text }) })
  return { status: res.statusCode, body: res.body === '' ? undefined : res.json() }
}

/** freshSite registers a site of its own for one case: two CO points and two video channels. */
async function freshSite (): Promise<string> {
  const site = `FZ-${process.pid}-${++n}`
  const answers = [
    await send('PUT', `/v1/sites/${site}`, JSON.stringify({ name: site, kind: 'underground', status: 'producing' })),
    await send('PUT', `/v1/sites/${site}/points`, JSON.stringify(['CO-1', 'CO-2'].map((pointCode) => ({ pointCode, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 3600, range: [0, 1000] })))),
    await send('PUT', `/v1/sites/${site}/video/channels`, JSON.stringify([{ channelCode: 'V01', name: '主井口' }, { channelCode: 'V02', name: '副井口' }]))
  ]
  if (answers.some((a) => a.status !== 200)) throw new Error(`set-up of ${site}: ${JSON.stringify(answers)}`)
  return site
}

async function count (table: string, site: string): Promise<number> {
  await walApplied(reader, [table])
  return Number((await reader.query<{ c: string }>(`SELECT count() c FROM ${table} WHERE site = $1`, [site]))[0]?.c)
}

/** A Route is one write endpoint: a valid body for a site, the fields to change, and what "nothing changed" means. */
interface Route {
  name: string
  method: 'POST' | 'PUT'
  url: (site: string) => string
  body: (site: string) => unknown
  paths: string[]
  /** the list whose items stand alone (a 200 names the rejected by index) */
  list?: string
  /** the table whose rows of the site must number what was accepted */
  table?: string
  /** what a GET answers before and after: an all-or-nothing request refused must leave it as it was */
  state?: (site: string) => Promise<unknown>
}

const ts = now()
const ROUTES: Route[] = [
  {
    name: 'POST /v1/readings',
    method: 'POST',
    url: () => '/v1/readings',
    body: (site) => ({ siteCode: site, readings: [{ point: 'CO-1', ts, value: 3.5 }, { point: 'CO-2', ts: ts + 1000, value: 4, status: 0 }, { point: 'CO-1', ts: ts + 2000, value: 5 }] }),
    paths: ['/siteCode', '/readings', '/readings/0', '/readings/0/point', '/readings/0/ts', '/readings/0/value', '/readings/1/status', '/readings/2/ts', '/readings/2/value'],
    list: '/readings',
    table: 'readings'
  },
  {
    name: 'PUT /v1/sites/{s}',
    method: 'PUT',
    url: (site) => `/v1/sites/${site}`,
    body: () => ({ name: '水厂铁矿', kind: 'open_pit', regionCode: '110000', enterprise: '首钢矿业', status: 'suspended', since: ts, approvedHeadcount: 120, attributes: { slopeHeightM: 210, blasting: 'yes', fans: true } }),
    paths: ['/name', '/kind', '/regionCode', '/enterprise', '/status', '/since', '/approvedHeadcount', '/attributes', '/attributes/slopeHeightM'],
    state: async (site) => (await send('GET', `/v1/sites/${site}`)).body
  },
  {
    name: 'POST /v1/sites/{s}/status',
    method: 'POST',
    url: (site) => `/v1/sites/${site}/status`,
    body: () => ({ status: 'maintenance', since: ts, note: '检修' }),
    paths: ['/status', '/since', '/note'],
    state: async (site) => (await send('GET', `/v1/sites/${site}`)).body
  },
  {
    name: 'PUT /v1/sites/{s}/points',
    method: 'PUT',
    url: (site) => `/v1/sites/${site}/points`,
    body: () => [
      { pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', location: '-200m 主运输巷', area: 'A3', item: 'gas', intervalS: 20, range: [0, 1000], limits: { upperAlarm: 24, upperRelease: 20 }, attributes: { equipment: 'main_fan' } },
      { pointCode: 'PH-1', quantity: 'phreatic_depth', unit: 'm', kind: 'analog', intervalS: 600, limits: { orange: 4.4, red: 4 } }
    ],
    paths: ['/0', '/0/pointCode', '/0/quantity', '/0/unit', '/0/kind', '/0/area', '/0/item', '/0/intervalS', '/0/range', '/0/range/1', '/0/limits/upperAlarm', '/0/attributes/equipment', '/1/limits/red', '/1/pointCode'],
    state: async (site) => (await send('GET', `/v1/sites/${site}/points`)).body
  },
  {
    name: 'POST /v1/sites/{s}/personnel',
    method: 'POST',
    url: (site) => `/v1/sites/${site}/personnel`,
    body: () => ({ ts, people: [{ card: 'C0042', name: '张三', role: 'leader', area: 'A3', enteredAt: ts - 3_600_000 }, { card: 'C0043', role: 'worker' }] }),
    paths: ['/ts', '/people', '/people/0', '/people/0/card', '/people/0/name', '/people/0/role', '/people/0/area', '/people/0/enteredAt', '/people/1/card'],
    table: 'personnel_headcount',
    state: async (site) => (await send('GET', `/v1/sites/${site}/personnel`, undefined, 'operator')).body
  },
  {
    name: 'POST /v1/sites/{s}/personnel/events',
    method: 'POST',
    url: (site) => `/v1/sites/${site}/personnel/events`,
    body: () => ({ type: 'sos', card: 'C0042', ts, area: 'A3' }),
    paths: ['/type', '/card', '/ts', '/area'],
    table: 'personnel_events'
  },
  {
    name: 'PUT /v1/sites/{s}/video/channels',
    method: 'PUT',
    url: (site) => `/v1/sites/${site}/video/channels`,
    body: () => [{ channelCode: 'V01', name: '主井口', location: '地面' }, { channelCode: 'V03', name: '采场' }],
    paths: ['/0', '/0/channelCode', '/0/name', '/0/location', '/1/channelCode'],
    state: async (site) => (await send('GET', `/v1/sites/${site}/video/channels`)).body
  },
  {
    name: 'POST /v1/video/heartbeats',
    method: 'POST',
    url: () => '/v1/video/heartbeats',
    body: (site) => ({ siteCode: site, ts, channels: [{ channelCode: 'V01', online: true }, { channelCode: 'V02', online: false }] }),
    paths: ['/siteCode', '/ts', '/channels', '/channels/0', '/channels/0/channelCode', '/channels/0/online', '/channels/1/online'],
    list: '/channels',
    table: 'video_heartbeats'
  },
  {
    name: 'POST /v1/video/events',
    method: 'POST',
    url: () => '/v1/video/events',
    body: (site) => ({ siteCode: site, events: [{ channel: 'V01', ts, type: 'no_helmet', confidence: 0.93, count: 1, evidence: { sha256: 'a'.repeat(64), url: 'http://nvr.local/snap/1.jpg' } }, { channel: 'V02', ts: ts + 1000, type: 'intrusion' }] }),
    paths: ['/siteCode', '/events', '/events/0', '/events/0/channel', '/events/0/ts', '/events/0/type', '/events/0/confidence', '/events/0/count', '/events/0/evidence', '/events/0/evidence/sha256', '/events/0/evidence/url', '/events/1/ts'],
    list: '/events',
    table: 'video_events'
  }
]

// The item a mutation is about: /readings/3/value → 3 in /readings (undefined when it changed the envelope).
function itemOf (m: Mutation, list: string): number | undefined {
  const hit = new RegExp(`^${list}/(\\d+)(?:/|$)`).exec(m.path)
  return hit === null ? undefined : Number(hit[1])
}

/** Tap is the part of a tap Test stillStores asserts with. */
interface Tap { same: (a: unknown, b: unknown, m: string) => boolean, equal: (a: unknown, b: unknown, m: string) => boolean }

// Every check of one answer; returns the problems found (empty when the answer is right).
function judge (route: Route, m: Mutation, res: Answer): string[] {
  const problems: string[] = []
  if (res.status >= 500) return [`answered ${res.status}: ${JSON.stringify(res.body)}`]
  if (res.status >= 400) {
    if (typeof res.body?.error !== 'string' || !res.body.error.startsWith('MW_ERR_')) problems.push('no error code')
    const details: Array<{ path: string }> | undefined = res.body?.details
    if ([400, 413, 422].includes(res.status) && (details === undefined || !details.some((d) => related(d.path, m)))) {
      problems.push(`${res.status} does not name ${m.path}: ${JSON.stringify(details)}`)
    }
    return problems
  }
  if (route.list !== undefined && res.status === 200 && m.path !== route.list) {
    const item = itemOf(m, route.list)
    for (const r of res.body.rejected as Array<{ index: number, path: string }>) {
      if (!r.path.startsWith(`${route.list}/${r.index}`)) problems.push(`rejection ${JSON.stringify(r)} names no item`)
      else if (r.index !== item || !related(r.path, m)) problems.push(`rejected ${JSON.stringify(r)}, though only ${m.path} was changed`)
    }
  }
  return problems
}

async function stillStores (t: Tap): Promise<void> {
  const site = await freshSite()
  const res = await send('POST', '/v1/readings', JSON.stringify({ siteCode: site, readings: [{ point: 'CO-1', ts: now(), value: 1 }, { point: 'CO-2', ts: now(), value: 2 }] }), 'gateway')
  t.same([res.status, res.body], [200, { accepted: 2, rejected: [] }], 'a valid batch is still stored afterwards')
  t.equal(await count('readings', site), 2, 'both stored')
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200, '/ready is true')
}

for (const route of ROUTES) {
  t.test(`fuzz - ${route.name}: never 5xx, every rejection names the changed field, nothing rejected is stored`, async (t) => {
    let cases = 0
    let rejected = 0
    await fc.assert(fc.asyncProperty(mutation(route.paths), async (m) => {
      const site = await freshSite()
      const before = await route.state?.(site)
      const text = apply(route.body(site), m)
      const res = await send(route.method, route.url(site), text, 'admin')
      cases++
      const problems = judge(route, m, res)
      if (res.status >= 400) rejected++
      if (route.table !== undefined) {
        const accepted = res.status !== 200 ? 0 : (route.list === undefined ? 1 : res.body.accepted)
        const stored = await count(route.table, site)
        if (stored !== accepted) problems.push(`${stored} rows of ${route.table} stored, ${accepted} accepted`)
      }
      if (route.state !== undefined && res.status >= 400) {
        const after = await route.state(site)
        if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`a refused request changed ${JSON.stringify(before)} to ${JSON.stringify(after)}`)
      }
      if (problems.length > 0) throw new Error(`${route.name} with ${JSON.stringify(m).slice(0, 300)}: ${problems.join('; ')}`)
    }), fuzzOptions())
    t.equal(cases, RUNS, `${cases} cases`)
    t.comment(`${route.name}: ${cases} cases, ${rejected} refused with 4xx`)
    await stillStores(t)
  })
}

t.test('fuzz - alarm actions: never 5xx, a bad body is named, a refused action changes nothing', async (t) => {
  const ACTIONS = {
    ack: { body: { by: '值班员A', note: '已通知' }, paths: ['/by', '/note'] },
    dispatch: { body: { by: '值班员A', assignee: '通风队', note: '现场核查' }, paths: ['/by', '/assignee', '/note'] },
    close: { body: { by: '值班员A', disposition: 'confirmed', note: '已处理' }, paths: ['/by', '/disposition', '/note'] }
  } as const
  const arb = fc.constantFrom('ack', 'dispatch', 'close').chain((action) => fc.tuple(fc.constant(action), mutation(ACTIONS[action].paths)))
  let cases = 0
  await fc.assert(fc.asyncProperty(arb, async ([action, m]) => {
    const site = await freshSite()
    await send('POST', '/v1/readings', JSON.stringify({ siteCode: site, readings: [{ point: 'CO-1', ts: now(), value: 30 }] }), 'gateway')
    const alarm = await until(async () => (await send('GET', `/v1/alarms?site=${site}`, undefined, 'operator')).body.alarms[0], `the CO alarm of ${site}`, 60_000)
    const res = await send('POST', `/v1/alarms/${alarm.alarmId as string}/${action}`, apply(ACTIONS[action].body, m), 'operator')
    cases++
    const route: Route = { name: action, method: 'POST', url: () => '', body: () => ({}), paths: [] }
    const problems = judge(route, m, res)
    const after = (await send('GET', `/v1/alarms/${alarm.alarmId as string}`, undefined, 'operator')).body.alarm
    if (res.status >= 400 && (after.seq !== alarm.seq || after.state !== alarm.state)) problems.push(`refused, yet the alarm moved to ${after.state as string} #${after.seq as number}`)
    if (res.status === 200 && after.seq !== alarm.seq + 1) problems.push(`acted, yet the alarm is at #${after.seq as number}`)
    if (problems.length > 0) throw new Error(`${action} with ${JSON.stringify(m).slice(0, 300)}: ${problems.join('; ')}`)
  }), fuzzOptions())
  t.equal(cases, RUNS)
  await stillStores(t)
})
