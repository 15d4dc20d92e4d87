// Video-assisted supervision through the real app against a real QuestDB and nats-server (access standard
// section 5): channel lists (replace, read back, loaded at start), heartbeats stored per channel, AI event
// batches validated per item and stored with their evidence, resends stored once, auth, unknown sites and
// the batch limit. QuestDB applies WAL 10-70 ms after acknowledging a write: reads poll (bounded).
import t from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp, type TOKENS } from '../helpers/app.js'

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })

const SHA = '0123456789abcdef'.repeat(4)
const utc = (ms: number): string => new Date(ms).toISOString()
// A whole second a little in the past, so timestamps are exact and within the skew bound.
const baseTime = (): number => Math.floor(Date.now() / 1000) * 1000 - 60_000

type Role = keyof typeof TOKENS

async function req (method: 'GET' | 'POST' | 'PUT', url: string, role: Role, payload?: unknown, a: FastifyInstance = app): Promise<LightMyRequestResponse> {
  return await a.inject({ method, url, headers: auth(role), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })
}

async function site (code: string, channels: Array<{ channelCode: string, name: string, location?: string }>): Promise<void> {
  const s = await req('PUT', `/v1/sites/${code}`, 'admin', { name: `测试矿山 ${code}`, kind: 'underground', status: 'producing' })
  if (s.statusCode !== 200) throw new Error(`PUT site ${code}: ${s.statusCode} ${s.body}`)
  const c = await req('PUT', `/v1/sites/${code}/video/channels`, 'admin', channels)
  if (c.statusCode !== 200) throw new Error(`PUT channels ${code}: ${c.statusCode} ${c.body}`)
}

/** poll calls fn until done(result) holds or timeoutMs passes, and returns the last result. */
async function poll<T> (fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (done(v) || Date.now() > until) return v
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** walApplied waits (bounded) until QuestDB has applied every acknowledged write to `table`. */
async function walApplied (table: string): Promise<boolean> {
  const ok = (r: Array<{ writerTxn: unknown, sequencerTxn: unknown }>): boolean => r.length === 1 && Number(r[0]?.writerTxn) >= Number(r[0]?.sequencerTxn)
  return ok(await poll(async () => await app.questdb.reader.query<{ writerTxn: unknown, sequencerTxn: unknown }>(
    'select writerTxn, sequencerTxn from wal_tables() where name = $1', [table]), ok))
}

/** eventsOf polls GET …/video/events until it returns `count` events (or 60 s pass) and returns them. */
async function eventsOf (code: string, count: number, query = ''): Promise<Array<Record<string, unknown>>> {
  const res = await poll(async () => await req('GET', `/v1/sites/${code}/video/events${query}`, 'operator'),
    (r) => r.statusCode === 200 && r.json().events.length >= count)
  if (res.statusCode !== 200) throw new Error(`GET events ${code}: ${res.statusCode} ${res.body}`)
  return res.json().events
}

t.test('video - migration 004: WAL tables with designated ts, partitions and dedup keys', async (t) => {
  const tables = await app.questdb.reader.query<Record<string, unknown>>(
    "select table_name, designatedTimestamp, partitionBy, walEnabled, dedup from tables() where table_name like 'video_%' order by table_name")
  t.same(tables.map((r) => [r.table_name, r.designatedTimestamp, r.partitionBy, r.walEnabled, r.dedup]), [
    ['video_channels', 'ts', 'YEAR', true, true],
    ['video_events', 'ts', 'DAY', true, true],
    ['video_heartbeats', 'ts', 'DAY', true, true]
  ])
  const keys = async (table: string): Promise<string[]> => (await app.questdb.reader.query<{ column: string, upsertKey: boolean }>(
    `select "column", upsertKey from table_columns('${table}')`)).filter((c) => c.upsertKey).map((c) => c.column).sort()
  t.same(await keys('video_channels'), ['channel', 'site', 'ts'])
  t.same(await keys('video_heartbeats'), ['channel', 'site', 'ts'])
  t.same(await keys('video_events'), ['channel', 'site', 'ts', 'type'])
})

t.test('video - channels: PUT replaces the list, GET returns it, a restart loads it', async (t) => {
  await site('VD-CH', [{ channelCode: 'V01', name: '主井口', location: '-200m' }, { channelCode: 'V02', name: '皮带' }])
  const first = await req('GET', '/v1/sites/VD-CH/video/channels', 'operator')
  t.same([first.statusCode, first.json()], [200, [{ channelCode: 'V01', name: '主井口', location: '-200m' }, { channelCode: 'V02', name: '皮带' }]])

  const put = await req('PUT', '/v1/sites/VD-CH/video/channels', 'admin', [{ channelCode: 'V02', name: '皮带机头' }, { channelCode: 'V03', name: '炸药库' }])
  t.same([put.statusCode, put.json()], [200, { siteCode: 'VD-CH', channels: 2 }])
  const replaced = [{ channelCode: 'V02', name: '皮带机头' }, { channelCode: 'V03', name: '炸药库' }]
  for (const role of ['operator', 'admin', 'gateway'] as const) {
    const got = await req('GET', '/v1/sites/VD-CH/video/channels', role)
    t.same([got.statusCode, got.json()], [200, replaced], `${role} reads the replaced list`)
  }

  const dup = await req('PUT', '/v1/sites/VD-CH/video/channels', 'admin', [{ channelCode: 'V09', name: 'a' }, { channelCode: 'V09', name: 'b' }])
  t.equal(dup.statusCode, 400)
  t.match(dup.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ index: 1, path: '/1/channelCode', message: 'channel V09 is defined twice' }] })
  const bad = await req('PUT', '/v1/sites/VD-CH/video/channels', 'admin', [{ channelCode: 'V 1', name: 'a' }, { name: 'b' }])
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { details: [{ index: 0, path: '/0/channelCode' }, { index: 1, path: '/1/channelCode' }] }, 'schema errors name the item')
  t.same((await req('GET', '/v1/sites/VD-CH/video/channels', 'operator')).json(), replaced, 'rejected PUTs changed nothing')

  t.ok(await walApplied('video_channels'))
  const again = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
  const loaded = await req('GET', '/v1/sites/VD-CH/video/channels', 'operator', undefined, again)
  t.same([loaded.statusCode, loaded.json()], [200, replaced], 'a new app loads the current list, removed channels excluded')
})

t.test('video - heartbeats are stored per channel; unknown channels rejected per item', async (t) => {
  await site('VD-HB', [{ channelCode: 'V01', name: 'a' }, { channelCode: 'V02', name: 'b' }])
  const ts = baseTime()
  const res = await req('POST', '/v1/video/heartbeats', 'gateway', {
    siteCode: 'VD-HB',
    ts: new Date(ts + 8 * 3_600_000).toISOString().replace('Z', '+08:00'),
    channels: [{ channelCode: 'V01', online: true }, { channelCode: 'V77', online: true }, { channelCode: 'V02', online: false }]
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { accepted: 2, rejected: [{ index: 1, path: '/channels/1/channelCode', message: 'channel "V77" is not defined for site "VD-HB"' }] })
  t.ok(await walApplied('video_heartbeats'))
  const rows = await app.questdb.reader.query<{ channel: string, online: boolean, ts: number }>(
    'select channel, online, ts from video_heartbeats where site = $1 order by channel', ['VD-HB'])
  t.same(rows, [{ channel: 'V01', online: true, ts }, { channel: 'V02', online: false, ts }], 'one row per channel at the heartbeat time')

  const future = await req('POST', '/v1/video/heartbeats', 'gateway', { siteCode: 'VD-HB', ts: Date.now() + 3_600_000, channels: [] })
  t.equal(future.statusCode, 400)
  t.match(future.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/ts', message: /in the future/ }] })
  const noTs = await req('POST', '/v1/video/heartbeats', 'gateway', { siteCode: 'VD-HB', channels: [] })
  t.match([noTs.statusCode, noTs.json()], [400, { details: [{ path: '/ts' }] }])
})

t.test('video - events: a mixed batch is validated per item; the valid one is stored with its evidence, once', async (t) => {
  await site('VD-EV', [{ channelCode: 'V01', name: '主井口' }])
  const t0 = baseTime()
  const valid = { channel: 'V01', ts: t0, type: 'no_helmet', confidence: 0.93, count: 1, evidence: { sha256: SHA, url: 'http://nvr.local/snap/123.jpg' } }
  const batch = {
    siteCode: 'VD-EV',
    events: [
      { channel: 'V01', ts: t0, type: 'cat_on_belt' },
      { channel: 'V99', ts: t0, type: 'intrusion' },
      valid
    ]
  }
  const res = await req('POST', '/v1/video/events', 'gateway', batch)
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    accepted: 1,
    rejected: [
      { index: 0, path: '/events/0/type', message: /^must be one of no_helmet, / },
      { index: 1, path: '/events/1/channel', message: 'channel "V99" is not defined for site "VD-EV"' }
    ]
  })
  t.equal(res.json().rejected.length, 2)
  const [stored] = await eventsOf('VD-EV', 1)
  t.match(stored, { channel: 'V01', ts: utc(t0), type: 'no_helmet', confidence: 0.93, count: 1, evidence: { sha256: SHA, url: 'http://nvr.local/snap/123.jpg' }, receivedAt: String })

  const resend = await req('POST', '/v1/video/events', 'gateway', batch)
  t.same(resend.json().accepted, 1)
  const later = { channel: 'V01', ts: t0 + 1000, type: 'intrusion' }
  t.same((await req('POST', '/v1/video/events', 'admin', { siteCode: 'VD-EV', events: [later] })).json(), { accepted: 1, rejected: [] })
  t.ok(await walApplied('video_events'))
  const all = await eventsOf('VD-EV', 2)
  t.same(all.map((e) => [e.ts, e.type]), [[utc(t0), 'no_helmet'], [utc(t0 + 1000), 'intrusion']], 'the resend is stored once, in time order')
  t.same(all[1], { channel: 'V01', ts: utc(t0 + 1000), type: 'intrusion', receivedAt: all[1]?.receivedAt }, 'absent fields stay absent')
  t.same((await eventsOf('VD-EV', 1, `?from=${t0 + 1}`)).map((e) => e.type), ['intrusion'], 'from bounds the query')
  t.same((await eventsOf('VD-EV', 1, `?to=${encodeURIComponent(utc(t0))}&limit=5`)).map((e) => e.type), ['no_helmet'], 'to bounds the query')
  const badFrom = await req('GET', '/v1/sites/VD-EV/video/events?from=yesterday', 'operator')
  t.match([badFrom.statusCode, badFrom.json()], [400, { error: 'MW_ERR_INVALID_QUERY' }])
})

t.test('video - the seam: accepted events are handed to fastify.video.events$ after they are stored', async (t) => {
  await site('VD-SEAM', [{ channelCode: 'V01', name: 'a' }])
  const seen: unknown[] = []
  const sub = app.video.events$.subscribe((rows) => { for (const r of rows) if (r.site === 'VD-SEAM') seen.push([r.channel, r.type]) })
  t.teardown(() => sub.unsubscribe())
  await req('POST', '/v1/video/events', 'gateway', { siteCode: 'VD-SEAM', events: [{ channel: 'V01', ts: baseTime(), type: 'smoke_fire' }, { channel: 'V02', ts: baseTime(), type: 'smoke_fire' }] })
  t.same(seen, [['V01', 'smoke_fire']], 'only the accepted event')
})

t.test('video - 401 without a token, 403 for a wrong role or site', async (t) => {
  await site('VD-AUTH', [{ channelCode: 'V01', name: 'a' }])
  const event = { siteCode: 'VD-AUTH', events: [{ channel: 'V01', ts: baseTime(), type: 'intrusion' }] }
  const none = await app.inject({ method: 'POST', url: '/v1/video/events', payload: event })
  t.match([none.statusCode, none.json()], [401, { error: 'MW_ERR_UNAUTHORIZED' }])
  const wrong = await app.inject({ method: 'GET', url: '/v1/sites/VD-AUTH/video/channels', headers: { authorization: 'Bearer nope' } })
  t.equal(wrong.statusCode, 401)
  const cases: Array<[string, 'GET' | 'POST' | 'PUT', string, Role, unknown]> = [
    ['gateway may not PUT channels', 'PUT', '/v1/sites/VD-AUTH/video/channels', 'gateway', []],
    ['operator may not post events', 'POST', '/v1/video/events', 'operator', event],
    ['operator may not post heartbeats', 'POST', '/v1/video/heartbeats', 'operator', { siteCode: 'VD-AUTH', ts: baseTime(), channels: [] }],
    ['gateway may not read events', 'GET', '/v1/sites/VD-AUTH/video/events', 'gateway', undefined],
    ['a gateway of OTHER may not post events of VD-AUTH', 'POST', '/v1/video/events', 'otherGateway', event],
    ['a gateway of OTHER may not post heartbeats of VD-AUTH', 'POST', '/v1/video/heartbeats', 'otherGateway', { siteCode: 'VD-AUTH', ts: baseTime(), channels: [{ channelCode: 'V01', online: true }] }],
    ['a gateway of OTHER may not read channels of VD-AUTH', 'GET', '/v1/sites/VD-AUTH/video/channels', 'otherGateway', undefined],
    ['an operator of OTHER may not read events of VD-AUTH', 'GET', '/v1/sites/VD-AUTH/video/events', 'otherOperator', undefined]
  ]
  for (const [what, method, url, role, payload] of cases) {
    const res = await req(method, url, role, payload)
    t.match([res.statusCode, res.json()], [403, { error: 'MW_ERR_FORBIDDEN' }], what)
  }
  // the control: the same event from the site's gateway is stored (acknowledged after every refusal above)
  const allowed = await req('POST', '/v1/video/events', 'gateway', event)
  t.same([allowed.statusCode, allowed.json()], [200, { accepted: 1, rejected: [] }], 'the site\'s gateway may post it')
  t.ok(await walApplied('video_events'))
  const rows = await app.questdb.reader.query<{ n: unknown }>('select count() n from video_events where site = $1', ['VD-AUTH'])
  t.equal(Number(rows[0]?.n), 1, 'nothing of the refused requests was stored, only the control')
})

t.test('video - unknown site → 404', async (t) => {
  const ts = baseTime()
  const ev = await req('POST', '/v1/video/events', 'gateway', { siteCode: 'VD-NOWHERE', events: [{ channel: 'V01', ts, type: 'intrusion' }] })
  t.same([ev.statusCode, ev.json()], [404, {
    error: 'MW_ERR_UNKNOWN_SITE',
    message: 'site "VD-NOWHERE" is not registered',
    details: [{ path: '/siteCode', message: 'site "VD-NOWHERE" is not registered' }]
  }])
  const hb = await req('POST', '/v1/video/heartbeats', 'gateway', { siteCode: 'VD-NOWHERE', ts, channels: [] })
  t.equal(hb.statusCode, 404)
  for (const [method, role] of [['PUT', 'admin'], ['GET', 'operator']] as const) {
    const res = await req(method, '/v1/sites/VD-NOWHERE/video/channels', role, method === 'PUT' ? [] : undefined)
    t.match([res.statusCode, res.json()], [404, { error: 'MW_ERR_UNKNOWN_SITE' }], `${method} channels`)
  }
  const get = await req('GET', '/v1/sites/VD-NOWHERE/video/events', 'operator')
  t.equal(get.statusCode, 404)
})

t.test('video - more than 10,000 events or channel states → 413 and nothing stored', async (t) => {
  await site('VD-BIG', [{ channelCode: 'V01', name: 'a' }])
  const t0 = baseTime()
  const events = Array.from({ length: 10_001 }, (_, i) => ({ channel: 'V01', ts: t0 - i, type: 'intrusion' }))
  const res = await req('POST', '/v1/video/events', 'gateway', { siteCode: 'VD-BIG', events })
  t.match([res.statusCode, res.json()], [413, { error: 'MW_ERR_BATCH_TOO_LARGE', message: 'batch has 10001 items; at most 10000 are accepted' }])
  const channels = Array.from({ length: 10_001 }, () => ({ channelCode: 'V01', online: true }))
  const hb = await req('POST', '/v1/video/heartbeats', 'gateway', { siteCode: 'VD-BIG', ts: t0, channels })
  t.equal(hb.statusCode, 413)
  const full = await req('POST', '/v1/video/events', 'gateway', { siteCode: 'VD-BIG', events: events.slice(1) })
  t.same([full.statusCode, full.json()], [200, { accepted: 10_000, rejected: [] }], 'exactly 10,000 are accepted')
  t.ok(await walApplied('video_events'))
  const rows = await app.questdb.reader.query<{ n: unknown }>('select count() n from video_events where site = $1', ['VD-BIG'])
  t.equal(Number(rows[0]?.n), 10_000)
})
