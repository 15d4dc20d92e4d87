// live feed - GET /v1/stream over a real HTTP connection against a real QuestDB and nats-server: alarm
// transitions and risk changes made through the API and the alarm service arrive as SSE events with resumable
// ids; a client that was away while 50 transitions happened gets exactly those 50, in stream order, once; a
// site-limited person sees nothing of another site; heartbeats; refusals; metrics; close with open connections.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { connect } from 'nats'
import type { AlarmMessage, RiskMessage } from '../../src/contract/index.js'
import { parseFeedId } from '../../src/feed/id.js'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp, TOKENS } from '../helpers/app.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { call, injectCall, postReadings, registerCoSite } from '../helpers/api.js'
import { coRulesDir, ENGINE_ENV } from '../helpers/rules.js'
import { createTestUser, login } from '../helpers/users.js'
import { SseClient } from '../helpers/sse.js'
import { until } from '../helpers/wait.js'
import { change } from '../unit/5-alarm/fixtures.js'

const SITE = 'FEED-1'
const ALARM_STREAM = 'MINEWATCH_ALARMS'

t.test('live feed - GET /v1/stream against real services', async (t) => {
  const services = await startServices(t)
  const env = { MINEWATCH_RULES_DIR: await coRulesDir(t, 'minewatch-feed-rules-', '1s'), ...ENGINE_ENV, MINEWATCH_STREAM_HEARTBEAT_S: '1' }
  const app = await buildTestApp(t, { qdb: services.qdb, nats: services.nats, env })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `${base}/v1/stream`
  const open = async (headers: Record<string, string>): Promise<SseClient> => {
    const c = await SseClient.open(url, { headers })
    t.teardown(async () => await c.close())
    return c
  }
  const api = injectCall(app)
  await registerCoSite(t, api, SITE, ['CO-1'])
  await registerCoSite(t, api, 'OTHER', ['CO-1'])
  const nc = await connect({ servers: services.nats.url })
  t.teardown(async () => await nc.close())
  const jsm = await nc.jetstreamManager()
  const lastAlarmSeq = async (): Promise<number> => (await jsm.streams.info(ALARM_STREAM)).state.last_seq

  await t.test('feed - readings over a threshold and an acknowledgement arrive as alarm and risk events', async (t) => {
    const valid = alarmCheck(t)
    const c = await open(auth('operator'))
    t.equal(c.status, 200, 'the stream opens')
    t.match(c.contentType, /^text\/event-stream/, 'as text/event-stream')
    await c.until((x) => x.named('ready').length === 1, 'ready')
    t.equal(c.events[0]?.event, 'ready', 'ready comes first')
    const ready = c.named<{ alarmSeq: number, riskSeq: number }>('ready')[0]
    t.same(ready?.data, { alarmSeq: await lastAlarmSeq(), riskSeq: ready?.data.riskSeq }, 'ready names the alarm stream position it starts after (now)')
    t.equal(ready?.id, `${ready?.data.alarmSeq ?? ''}-${ready?.data.riskSeq ?? ''}`, 'ready carries the id of its position')

    const now = Date.now()
    await postReadings(t, api, SITE, [{ point: 'CO-1', ts: now - 2000, value: 31 }, { point: 'CO-1', ts: now - 500, value: 31 }])
    await c.until((x) => x.named<AlarmMessage>('alarm').some((e) => e.data.transition === 'raised'), 'raised')
    const raised = c.named<AlarmMessage>('alarm').find((e) => e.data.transition === 'raised')
    valid(raised?.data, 'the raised event')
    t.match(raised?.data, { siteCode: SITE, points: ['CO-1'], level: 'yellow', seq: 1 }, 'the raised alarm of the site')
    const alarmId = raised?.data.alarmId ?? ''
    const ack = await call(app, 'POST', `/v1/alarms/${alarmId}/ack`, 'operator', { note: '已通知现场' })
    t.equal(ack.status, 200, 'acknowledged through the API')
    await c.until((x) => x.named<AlarmMessage>('alarm').some((e) => e.data.transition === 'acknowledged'), 'acknowledged')
    await c.until((x) => x.named<RiskMessage>('risk').some((e) => e.data.siteCode === SITE), 'a risk change of the site')
    const alarms = c.named<AlarmMessage>('alarm').filter((e) => e.data.alarmId === alarmId)
    t.same(alarms.map((e) => [e.data.transition, e.data.seq]), [['raised', 1], ['acknowledged', 2]], 'both transitions, in order')
    for (const e of c.events.slice(1)) t.ok(parseFeedId(e.id ?? '') !== undefined, `${e.event} event has an id of the form <alarmSeq>-<riskSeq> (${e.id ?? ''})`)
    // the id moves with the stream: the acknowledged event's alarm part is the stream's sequence of that message
    const ackEvent = alarms[1]
    const stored = await jsm.streams.getMessage(ALARM_STREAM, { seq: parseFeedId(ackEvent?.id ?? '')?.alarmSeq ?? 0 })
    t.same(stored.json(), ackEvent?.data, 'the alarm part of the id is the sequence of the message sent, and the data is that message')
    await c.close()
  })

  await t.test('feed - a client away while 50 transitions happen gets exactly those 50, in order, once', async (t) => {
    const first = await open(auth('operator'))
    await first.until((x) => x.named('ready').length === 1, 'ready')
    for (let i = 0; i < 3; i++) await app.alarms.onCondition(change('yellow', { key: `gas.co.limit|${SITE}|R${i}`, siteCode: SITE, points: [`R${i}`], eventTs: Date.now() }))
    await first.until((x) => x.named<AlarmMessage>('alarm').filter((e) => e.data.points[0]?.startsWith('R') === true).length === 3, 'the first 3 raises')
    const resumeId = first.lastId() ?? ''
    await first.close()
    await until(async () => app.feed.open() === 0 ? true : undefined, 'the first connection released', 10_000, 20)

    // 50 transitions while away: 25 alarms raised and 25 cleared
    const keys = Array.from({ length: 25 }, (_, i) => `gas.co.limit|${SITE}|M${i}`)
    for (const [i, key] of keys.entries()) await app.alarms.onCondition(change('yellow', { key, siteCode: SITE, points: [`M${i}`], eventTs: Date.now() }))
    for (const [i, key] of keys.entries()) await app.alarms.onCondition(change(null, { key, siteCode: SITE, points: [`M${i}`], eventTs: Date.now() }))
    const from = parseFeedId(resumeId)?.alarmSeq ?? 0
    const to = await until(async () => { const last = await lastAlarmSeq(); return last >= from + 50 ? last : undefined }, 'all 50 in the stream')
    t.equal(to, from + 50, 'exactly 50 alarm messages were published while away')
    const missed: string[] = []
    for (let seq = from + 1; seq <= to; seq++) missed.push((await jsm.streams.getMessage(ALARM_STREAM, { seq })).string())

    const again = await open({ ...auth('operator'), 'last-event-id': resumeId })
    t.equal(again.status, 200, 'reconnects with Last-Event-ID')
    await again.until((x) => x.named('alarm').length >= 50, '50 alarm events')
    t.same(again.named('ready')[0]?.data, parseFeedId(resumeId), 'ready names the resumed position')
    // anything more would come right behind the 50th; a risk change after it, or a heartbeat, shows the pipe is drained
    const seen = again.events.length
    await again.until((x) => x.comments.length > 0 && x.events.length >= seen, 'a heartbeat after the 50')
    const got = again.events.filter((e) => e.event === 'alarm')
    t.equal(got.length, 50, 'exactly 50 alarm events, none doubled')
    t.same(got.map((e) => JSON.parse(e.data)), missed.map((m) => JSON.parse(m)), 'the 50 messages of the stream, in stream order')
    t.same(got.map((e) => parseFeedId(e.id ?? '')?.alarmSeq), missed.map((_, i) => from + 1 + i), 'each id names its stream sequence')
    const transitions = got.map((e) => JSON.parse(e.data) as AlarmMessage)
    t.same(transitions.filter((m) => m.transition === 'raised').length, 25, '25 raised')
    t.same(transitions.filter((m) => m.transition === 'cleared').length, 25, '25 cleared')
    await again.close()
  })

  await t.test('feed - a person limited to site OTHER sees nothing of another site (cookie session)', async (t) => {
    await createTestUser(app, { username: 'feed-other', password: 'Watch-Room-Pass-42', role: 'viewer', sites: ['OTHER'] })
    const session = await login(app, 'feed-other', 'Watch-Room-Pass-42')
    t.equal(session.status, 200, 'logged in')
    const mine = await open({ cookie: session.cookie })
    const all = await open(auth('admin'))
    await mine.until((x) => x.named('ready').length === 1, 'ready (limited)')
    await all.until((x) => x.named('ready').length === 1, 'ready (all sites)')
    await app.alarms.onCondition(change('red', { key: `gas.co.limit|${SITE}|S1`, siteCode: SITE, points: ['S1'], eventTs: Date.now() }))
    await all.until((x) => x.named<AlarmMessage>('alarm').some((e) => e.data.points[0] === 'S1'), 'the other site\'s alarm reached the all-sites client')
    await app.alarms.onCondition(change('red', { key: 'gas.co.limit|OTHER|S2', siteCode: 'OTHER', points: ['S2'], eventTs: Date.now() }))
    await mine.until((x) => x.named<AlarmMessage>('alarm').some((e) => e.data.points[0] === 'S2'), 'its own site\'s alarm')
    await all.until((x) => x.named<AlarmMessage>('alarm').some((e) => e.data.points[0] === 'S2'), 'both alarms (all sites)')
    await mine.until((x) => x.named<RiskMessage>('risk').some((e) => e.data.siteCode === 'OTHER'), 'its own site\'s risk')
    const sites = [...mine.named<AlarmMessage>('alarm'), ...mine.named<RiskMessage>('risk')].map((e) => e.data.siteCode)
    t.same([...new Set(sites)], ['OTHER'], 'only site OTHER')
    const skipped = all.named<AlarmMessage>('alarm').find((e) => e.data.points[0] === 'S1')
    const own = mine.named<AlarmMessage>('alarm').find((e) => e.data.points[0] === 'S2')
    t.ok((parseFeedId(own?.id ?? '')?.alarmSeq ?? 0) > (parseFeedId(skipped?.id ?? '')?.alarmSeq ?? Infinity), 'the id moved past the skipped message')
    const gateway = await open(auth('gateway'))
    t.same([gateway.status, (gateway.errorBody as { error?: string }).error], [403, 'MW_ERR_FORBIDDEN'], 'a gateway may not watch')
    const nobody = await open({})
    t.same([nobody.status, (nobody.errorBody as { error?: string }).error], [401, 'MW_ERR_UNAUTHORIZED'], 'no credentials: 401')
    await mine.close()
    await all.close()
  })

  await t.test('feed - heartbeats arrive as SSE comments', async (t) => {
    const c = await open(auth('operator'))
    const started = Date.now()
    await c.until((x) => x.comments.length >= 2, 'two heartbeats', 10_000)
    t.ok(Date.now() - started >= 1000, 'a second apart at least (MINEWATCH_STREAM_HEARTBEAT_S=1)')
    t.match(c.comments[0], /heartbeat/, 'the comment line says heartbeat')
    await c.close()
  })

  await t.test('feed - a malformed Last-Event-ID or since is refused with a coded 400 naming it', async (t) => {
    for (const bad of ['abc', '12', '1-2-3', '-1-2', '01-2', '1-99999999999999999']) {
      const c = await open({ ...auth('operator'), 'last-event-id': bad })
      t.same([c.status, c.errorBody], [400, {
        error: 'MW_ERR_INVALID_HEADER',
        message: 'header Last-Event-ID must be "<alarmSeq>-<riskSeq>", two decimal stream sequences as sent in an event id',
        details: [{ path: '/headers/last-event-id', message: 'must be "<alarmSeq>-<riskSeq>", two decimal stream sequences as sent in an event id' }]
      }], `Last-Event-ID ${bad}`)
    }
    const since = await SseClient.open(`${url}?since=x-1`, { headers: auth('operator') })
    t.same([since.status, (since.errorBody as { error?: string, details?: unknown }).error, (since.errorBody as { details?: Array<{ path: string }> }).details?.[0]?.path], [400, 'MW_ERR_INVALID_QUERY', '/querystring/since'], 'since=x-1')
  })

  await t.test('feed - ?since= resumes like the header, and the header wins over it', async (t) => {
    const position = `${await lastAlarmSeq() - 2}-0`
    const bySince = await SseClient.open(`${url}?since=${position}`, { headers: auth('operator') })
    t.teardown(async () => await bySince.close())
    await bySince.until((x) => x.named('alarm').length >= 2, 'the last two alarm messages')
    t.same(bySince.named('ready')[0]?.data, parseFeedId(position), 'since sets the position')
    const both = await SseClient.open(`${url}?since=0-0`, { headers: { ...auth('operator'), 'last-event-id': position } })
    t.teardown(async () => await both.close())
    await both.until((x) => x.named('ready').length === 1, 'ready')
    t.same(both.named('ready')[0]?.data, parseFeedId(position), 'Last-Event-ID wins over since')
  })

  await t.test('feed - the gauge counts open connections', async (t) => {
    const gauge = async (): Promise<string | undefined> => /^minewatch_feed_connections (\d+)$/m.exec((await app.inject({ method: 'GET', url: '/metrics' })).body)?.[1]
    await until(async () => app.feed.open() === 0 ? true : undefined, 'earlier connections released', 10_000, 20)
    t.equal(await gauge(), '0', 'none open')
    const a = await open(auth('operator'))
    const b = await open(auth('admin'))
    await a.until((x) => x.named('ready').length === 1, 'ready a')
    await b.until((x) => x.named('ready').length === 1, 'ready b')
    t.equal(await gauge(), '2', 'two open')
    await a.close()
    await until(async () => await gauge() === '1' ? true : undefined, 'one left', 10_000, 20)
    t.pass('closing one leaves one')
    await b.close()
  })

  await t.test('feed - NATS down answers 503 MW_ERR_MESSAGING_UNAVAILABLE', async (t) => {
    await services.stopNats()
    const answer = await until(async () => {
      const c = await SseClient.open(url, { headers: auth('operator') })
      if (c.status === 200) { await c.close(); return undefined }
      return c
    }, 'the server to notice NATS is gone', 30_000, 100)
    t.same([answer.status, (answer.errorBody as { error?: string }).error], [503, 'MW_ERR_MESSAGING_UNAVAILABLE'], '503 with the code')
    await services.restartNats()
    await until(async () => app.nats.connected() ? true : undefined, 'reconnected', 30_000, 100)
  })
})

t.test('feed - closing the server ends open feed connections instead of waiting for them', async (t) => {
  const services = await startServices(t)
  const app: FastifyInstance = await buildTestApp(t, { qdb: services.qdb, nats: services.nats, env: { MINEWATCH_STREAM_HEARTBEAT_S: '60' }, autoClose: false })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const clients = await Promise.all([1, 2, 3].map(async () => await SseClient.open(`${base}/v1/stream`, { headers: { authorization: `Bearer ${TOKENS.operator}` } })))
  t.teardown(async () => { for (const c of clients) await c.close() })
  for (const c of clients) await c.until((x) => x.named('ready').length === 1, 'ready')
  t.equal(app.feed.open(), 3, 'three open connections')
  const started = Date.now()
  await app.close()
  t.ok(Date.now() - started < 10_000, `close took ${Date.now() - started} ms, not the keep-alive or heartbeat time`)
  await Promise.all(clients.map(async (c) => await c.ended))
  t.pass('every client saw its stream end')
  t.equal(app.feed.open(), 0, 'no connection left')
})
