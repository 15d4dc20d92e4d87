// Personnel positioning through the real app against a real QuestDB and nats-server (access standard section 4):
// snapshots stored and queryable (SQL and GET, also after a restart), an empty snapshot recorded as headcount 0,
// resends stored once, SOS events, and the 400/401/403/404 answers.
// QuestDB applies WAL shortly after acknowledging a write: SQL reads poll (bounded) for what they expect.
import t from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp, TOKENS } from '../helpers/app.js'
import type { StoredSnapshot } from '../../src/1-ingest/personnel/types.js'

const svc = await startServices(t)
const app = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })

const utc = (ms: number): string => new Date(ms).toISOString()
const baseTime = (): number => Math.floor(Date.now() / 1000) * 1000 - 60_000

async function setupSite (site: string): Promise<void> {
  const s = await app.inject({
    method: 'PUT',
    url: `/v1/sites/${site}`,
    headers: auth('admin'),
    payload: { name: `测试矿山 ${site}`, kind: 'underground', status: 'producing' }
  })
  if (s.statusCode !== 200) throw new Error(`PUT site ${site}: ${s.statusCode} ${s.body}`)
}

async function postSnapshot (site: string, body: unknown, role: keyof typeof TOKENS = 'gateway'): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'POST', url: `/v1/sites/${site}/personnel`, headers: auth(role), payload: body as object })
}

async function getLatest (a: FastifyInstance, site: string, role: keyof typeof TOKENS = 'operator'): Promise<LightMyRequestResponse> {
  return await a.inject({ method: 'GET', url: `/v1/sites/${site}/personnel`, headers: auth(role) })
}

async function poll<T> (fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (done(v) || Date.now() > until) return v
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function sql<T = Record<string, unknown>> (text: string, params: unknown[], count: number): Promise<T[]> {
  return await poll(async () => await app.questdb.reader.query<T>(text, params), (r) => r.length >= count)
}

/** walApplied waits (bounded) until QuestDB has applied every acknowledged write to `table`. */
async function walApplied (table: string): Promise<boolean> {
  const q = async (): Promise<Array<{ writerTxn: unknown, sequencerTxn: unknown }>> =>
    await app.questdb.reader.query(`select writerTxn, sequencerTxn from wal_tables() where name = '${table}'`)
  const ok = (r: Array<{ writerTxn: unknown, sequencerTxn: unknown }>): boolean => r.length === 1 && Number(r[0]?.writerTxn) >= Number(r[0]?.sequencerTxn)
  return ok(await poll(q, ok))
}

t.test('personnel - a snapshot is stored, queryable by SQL and GET, and read back from QuestDB after a restart', async (t) => {
  await setupSite('PP-STORE')
  const t0 = baseTime()
  const seen: StoredSnapshot[] = []
  const sub = app.personnel.snapshots.subscribe((s) => seen.push(s))
  t.teardown(() => sub.unsubscribe())
  const res = await postSnapshot('PP-STORE', {
    ts: t0,
    people: [
      { card: 'C0042', name: '张三', role: 'leader', area: 'A3', enteredAt: utc(t0 - 3_600_000).replace('Z', '+00:00') },
      { card: 'C0043', role: 'worker' },
      { card: 'C0044', name: '李四', role: 'visitor', area: 'A1' }
    ]
  })
  t.same([res.statusCode, res.json()], [200, { accepted: 3, headcount: 3 }])
  t.same(seen.map((s) => [s.site, s.ts, s.headcount, s.leaders]), [['PP-STORE', t0, 3, 1]], 'the stored snapshot is handed to subscribers')

  const rows = await sql<{ card: string, name: string | null, role: string, area: string | null, entered_at: number | null, headcount: number, ts: number }>(
    'select card, name, role, area, entered_at, headcount, ts from personnel_snapshots where site = $1 order by card', ['PP-STORE'], 3)
  t.same(rows, [
    { card: 'C0042', name: '张三', role: 'leader', area: 'A3', entered_at: t0 - 3_600_000, headcount: 3, ts: t0 },
    { card: 'C0043', name: null, role: 'worker', area: null, entered_at: null, headcount: 3, ts: t0 },
    { card: 'C0044', name: '李四', role: 'visitor', area: 'A1', entered_at: null, headcount: 3, ts: t0 }
  ])
  const head = await sql('select headcount, leaders, ts from personnel_headcount where site = $1', ['PP-STORE'], 1)
  t.same(head, [{ headcount: 3, leaders: 1, ts: t0 }])

  const expected = {
    ts: utc(t0),
    headcount: 3,
    people: [
      { card: 'C0042', role: 'leader', name: '张三', area: 'A3', enteredAt: utc(t0 - 3_600_000) },
      { card: 'C0043', role: 'worker' },
      { card: 'C0044', role: 'visitor', name: '李四', area: 'A1' }
    ]
  }
  const got = await getLatest(app, 'PP-STORE')
  t.same([got.statusCode, got.json()], [200, expected], 'GET from memory')
  t.equal((await getLatest(app, 'PP-STORE', 'admin')).statusCode, 200, 'admin may read too')

  const older = await postSnapshot('PP-STORE', { ts: t0 - 30_000, people: [] })
  t.same(older.json(), { accepted: 0, headcount: 0 }, 'a late snapshot is stored')
  t.same((await getLatest(app, 'PP-STORE')).json(), expected, 'but does not replace the newer one')

  t.ok(await walApplied('personnel_snapshots'))
  t.ok(await walApplied('personnel_headcount'))
  const restarted = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
  const fromDb = await getLatest(restarted, 'PP-STORE')
  t.same([fromDb.statusCode, fromDb.json()], [200, expected], 'GET after a restart reads the latest snapshot from QuestDB')
})

t.test('personnel - an empty snapshot is recorded as headcount 0 and replaces the previous one', async (t) => {
  await setupSite('PP-EMPTY')
  const t0 = baseTime()
  t.same((await postSnapshot('PP-EMPTY', { ts: t0, people: [{ card: 'C1', role: 'worker' }] })).json(), { accepted: 1, headcount: 1 })
  const res = await postSnapshot('PP-EMPTY', { ts: t0 + 30_000, people: [] })
  t.same([res.statusCode, res.json()], [200, { accepted: 0, headcount: 0 }])
  const head = await sql('select headcount, leaders, ts from personnel_headcount where site = $1 order by ts', ['PP-EMPTY'], 2)
  t.same(head, [{ headcount: 1, leaders: 0, ts: t0 }, { headcount: 0, leaders: 0, ts: t0 + 30_000 }])
  t.same((await getLatest(app, 'PP-EMPTY')).json(), { ts: utc(t0 + 30_000), headcount: 0, people: [] })

  t.ok(await walApplied('personnel_headcount'))
  const restarted = await buildTestApp(t, { qdb: svc.qdb, nats: svc.nats })
  t.same((await getLatest(restarted, 'PP-EMPTY')).json(), { ts: utc(t0 + 30_000), headcount: 0, people: [] }, 'also after a restart')
})

t.test('personnel - a resent snapshot is answered the same and stored once', async (t) => {
  await setupSite('PP-DEDUP')
  const body = { ts: baseTime(), people: [{ card: 'C1', role: 'worker', area: 'A1' }, { card: 'C2', role: 'leader' }] }
  t.same((await postSnapshot('PP-DEDUP', body)).json(), { accepted: 2, headcount: 2 })
  await sql('select card from personnel_snapshots where site = $1', ['PP-DEDUP'], 2)
  const again = await postSnapshot('PP-DEDUP', body)
  t.same([again.statusCode, again.json()], [200, { accepted: 2, headcount: 2 }])
  t.ok(await walApplied('personnel_snapshots'))
  t.ok(await walApplied('personnel_headcount'))
  const people = await app.questdb.reader.query<{ n: unknown }>('select count() n from personnel_snapshots where site = $1', ['PP-DEDUP'])
  const heads = await app.questdb.reader.query<{ n: unknown }>('select count() n from personnel_headcount where site = $1', ['PP-DEDUP'])
  t.same([Number(people[0]?.n), Number(heads[0]?.n)], [2, 1], 'two people, one headcount row')
})

t.test('personnel - an SOS event is stored with its event time and arrival time, once', async (t) => {
  await setupSite('PP-SOS')
  const t0 = baseTime()
  const post = async (): Promise<LightMyRequestResponse> => await app.inject({
    method: 'POST', url: '/v1/sites/PP-SOS/personnel/events', headers: auth('gateway'), payload: { type: 'sos', card: 'C0042', ts: t0, area: 'A3' }
  })
  const res = await post()
  t.same([res.statusCode, res.json()], [200, { accepted: 1 }])
  const rows = await sql<{ type: string, card: string, area: string, received_at: number, ts: number }>(
    'select type, card, area, received_at, ts from personnel_events where site = $1', ['PP-SOS'], 1)
  t.match(rows, [{ type: 'sos', card: 'C0042', area: 'A3', ts: t0 }])
  t.ok((rows[0]?.received_at ?? 0) >= t0, 'received_at is the arrival time')
  t.equal((await post()).statusCode, 200, 'a resend is accepted')
  t.ok(await walApplied('personnel_events'))
  const n = await app.questdb.reader.query<{ n: unknown }>('select count() n from personnel_events where site = $1', ['PP-SOS'])
  t.equal(Number(n[0]?.n), 1, 'and stored once')
})

t.test('personnel - 400: bad role, duplicate card, future ts, bad event type', async (t) => {
  await setupSite('PP-BAD')
  const now = baseTime()
  const role = await postSnapshot('PP-BAD', { ts: now, people: [{ card: 'C1', role: 'boss' }] })
  t.equal(role.statusCode, 400)
  t.match(role.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/people/0/role' }] })
  const dup = await postSnapshot('PP-BAD', { ts: now, people: [{ card: 'C1', role: 'worker' }, { card: 'C1', role: 'leader' }] })
  t.equal(dup.statusCode, 400)
  t.match(dup.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ index: 1, path: '/people/1/card' }] })
  const future = await postSnapshot('PP-BAD', { ts: Date.now() + 3_600_000, people: [] })
  t.equal(future.statusCode, 400)
  t.match(future.json(), { error: 'MW_ERR_INVALID_BODY', details: [{ path: '/ts', message: /in the future/ }] })
  const old = await postSnapshot('PP-BAD', { ts: Date.now() - 100 * 86_400_000, people: [] })
  t.match([old.statusCode, old.json()], [400, { details: [{ path: '/ts', message: /older than/ }] }])
  const event = await app.inject({ method: 'POST', url: '/v1/sites/PP-BAD/personnel/events', headers: auth('gateway'), payload: { type: 'fall', card: 'C1', ts: now } })
  t.match([event.statusCode, event.json()], [400, { details: [{ path: '/type' }] }])
  t.equal((await getLatest(app, 'PP-BAD')).statusCode, 404, 'a site without snapshots has none')
  // the control: a valid snapshot after them is stored (acknowledged after every refusal above)
  const valid = await postSnapshot('PP-BAD', { ts: now, people: [{ card: 'C1', role: 'worker' }] })
  t.same([valid.statusCode, valid.json()], [200, { accepted: 1, headcount: 1 }], 'a valid snapshot is accepted')
  t.ok(await walApplied('personnel_headcount'))
  const n = await app.questdb.reader.query<{ n: unknown }>('select count() n from personnel_headcount where site = $1', ['PP-BAD'])
  t.equal(Number(n[0]?.n), 1, 'nothing of the refused requests was stored, only the control')
})

t.test('personnel - 401, 403 and 404', async (t) => {
  await setupSite('PP-AUTH')
  const body = { ts: baseTime(), people: [] }
  const none = await app.inject({ method: 'POST', url: '/v1/sites/PP-AUTH/personnel', payload: body })
  t.match([none.statusCode, none.json()], [401, { error: 'MW_ERR_UNAUTHORIZED' }])
  t.match([(await postSnapshot('PP-AUTH', body, 'operator')).statusCode], [403], 'an operator may not post')
  const other = await postSnapshot('PP-AUTH', body, 'otherGateway')
  t.match([other.statusCode, other.json()], [403, { error: 'MW_ERR_FORBIDDEN' }], 'a gateway of another site may not post')
  const otherEvent = await app.inject({
    method: 'POST', url: '/v1/sites/PP-AUTH/personnel/events', headers: auth('otherGateway'), payload: { type: 'sos', card: 'C1', ts: baseTime() }
  })
  t.equal(otherEvent.statusCode, 403)
  t.equal((await getLatest(app, 'PP-AUTH', 'gateway')).statusCode, 403, 'a gateway may not read')
  t.equal((await getLatest(app, 'PP-AUTH', 'otherOperator')).statusCode, 403, 'an operator of another site may not read')
  const unknown = await postSnapshot('PP-NOPE', body)
  t.match([unknown.statusCode, unknown.json()], [404, { error: 'MW_ERR_UNKNOWN_SITE', details: [{ path: '/siteCode' }] }])
  t.equal((await getLatest(app, 'PP-NOPE')).statusCode, 404)
})
