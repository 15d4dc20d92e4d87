// alarms flow - the whole path of one CO alarm against a real QuestDB and nats-server: registry and readings
// through the API, the rule engine, the alarm service, JetStream, and the operator endpoints (access standard
// sections 2, 3, 6 and 7). Every published payload is checked against schemas/alarm-message.json.
// Time is virtual (the app's clock and scheduler seams): the test moves it, so each reading is exactly 5 s old
// when it arrives, never late (60 s) however slow the machine, and detectedAt is known to the millisecond.
import t from 'tap'
import type { AlarmMessage } from '../../src/contract/index.js'
import type { ConditionChange } from '../../src/4-evaluate/types.js'
import { clockOf } from '../../src/lib/clock.js'
import { advanceTo, createReplayScheduler } from '../../src/lib/virtual-time.js'
import { startServices } from '../helpers/services.js'
import { auth, buildTestApp } from '../helpers/app.js'
import { AlarmLedger, AlarmWatch, alarmCheck, readStream } from '../helpers/alarm-watch.js'
import { call, type Answer, type Role } from '../helpers/api.js'
import { coRulesDir, ENGINE_ENV } from '../helpers/rules.js'
import { until } from '../helpers/wait.js'

const SITE = 'FLOW-1'
const POINT = 'CO-101'
const KEY = `gas.co.limit|${SITE}|${POINT}`

t.test('alarms flow - a CO alarm from dwell to close, published on JetStream and audited', async (t) => {
  const services = await startServices(t)
  // virtual time starts at the wall clock's last whole second (QuestDB keeps the rows among recent ones)
  const scheduler = createReplayScheduler(Math.floor(Date.now() / 1000) * 1000)
  const app = await buildTestApp(t, {
    qdb: services.qdb,
    nats: services.nats,
    clock: clockOf(scheduler),
    scheduler,
    env: { MINEWATCH_RULES_DIR: await coRulesDir(t, 'minewatch-flow-rules-', '2s'), ...ENGINE_ENV }
  })
  // what the alarm service made: "nothing published" is checked once all of it arrived, not after a pause
  const ledger = AlarmLedger.attach(t, app)
  const watch = await AlarmWatch.open(services.nats.url)
  t.teardown(() => watch.close())
  const valid = alarmCheck(t)
  // The engine evaluates a batch synchronously inside POST /v1/readings, so the changes it emitted are all
  // known when the response arrives: "nothing happened" is checked exactly, not by waiting.
  const changes: ConditionChange[] = []
  const sub = app.engine.core.changes$.subscribe((c) => { if (c.key === KEY) changes.push(c) })
  t.teardown(() => sub.unsubscribe())

  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}`, 'admin', { name: '流程测试矿', kind: 'underground', status: 'producing' })).status, 200)
  // intervalS 60: the no-data rules (3 missed periods = 3 min) stay out of this test's way
  const points = [{ pointCode: POINT, quantity: 'co', unit: 'ppm', kind: 'analog', location: '-200m 主运输巷', intervalS: 60, range: [0, 1000] }]
  t.equal((await call(app, 'PUT', `/v1/sites/${SITE}/points`, 'admin', points)).status, 200)
  const rules = await call(app, 'GET', '/v1/rules', 'operator')
  const coRule = (rules.body.rules as Array<{ id: string, ruleVersion: string }>).find((r) => r.id === 'gas.co.limit')
  t.ok(coRule, 'the CO rule is loaded')
  t.same(rules.body.errors, [], 'the rules load without errors')

  // Event times: base plus offsets (up to 18 s); each reading is posted when virtual time is 5 s past it (the
  // no-data checks due meanwhile run, each at its time): never late (> 60 s), never beyond the clock skew (300 s).
  const base = scheduler.now() - 5_000
  /** moveTo moves virtual time forward to `ms` (never back) and returns the new now */
  const moveTo = (ms: number): number => { advanceTo(scheduler, ms); return scheduler.now() }
  /** post sends one reading at base + offset, 5 s after it, and returns the virtual time the server received it */
  const post = async (offset: number, value: number, status = 0): Promise<number> => {
    const at = moveTo(base + offset + 5_000)
    const res = await call(app, 'POST', '/v1/readings', 'gateway', { siteCode: SITE, readings: [{ point: POINT, ts: base + offset, value, status }] })
    t.same([res.status, res.body], [200, { accepted: 1, rejected: [] }], `reading +${offset} ms = ${value} accepted`)
    return at
  }
  const noChange = async (offset: number, value: number, why: string): Promise<void> => {
    const before = changes.length
    await post(offset, value)
    t.equal(changes.length, before, `no condition change: ${why}`)
  }
  const iso = (offset: number): string => new Date(base + offset).toISOString()

  await t.test('below the dwell time nothing is raised', async (t) => {
    await noChange(0, 30, '30 ppm starts the 2 s dwell')
    await noChange(1000, 30, 'still 1 s short of the dwell')
    await noChange(1500, 10, 'a low reading resets the dwell')
    await noChange(2500, 30, 'the dwell starts again')
    await noChange(4000, 31, '1.5 s into the new dwell')
    await ledger.settled(watch)
    t.equal(ledger.records.length, 0, 'the alarm service made no transition')
    t.same(watch.forSite(SITE), [], 'nothing published (the raise below shows the same watch hears this site)')
  })

  let alarmId = ''
  let lastDetected = 0
  // Checks one published transition: subject, Nats-Msg-Id, schema, and the fields every transition shares;
  // `decidedAt` is the virtual time of the request that made it.
  const expectTransition = async (seq: number, transition: string, level: string, extra: Record<string, unknown>, decidedAt: number): Promise<AlarmMessage> => {
    const m = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.alarmId === alarmId && s.body.seq === seq, `${transition} seq ${seq}`)
    t.equal(m.subject, `minewatch.alarm.${SITE}.over_limit.${level}`, `${transition} on the ${level} subject`)
    t.equal(m.msgId, `${alarmId}:${seq}`, 'Nats-Msg-Id is alarmId:seq')
    valid(m.body, transition)
    t.match(m.body, { alarmId, seq, transition, category: 'over_limit', level, siteCode: SITE, points: [POINT], ruleId: 'gas.co.limit', ruleVersion: coRule?.ruleVersion, hazardClause: null, ...extra })
    const detected = Date.parse(m.body.detectedAt)
    t.equal(detected, decidedAt, 'detectedAt is when the server decided')
    t.ok(detected > lastDetected, 'detectedAt grows with seq')
    lastDetected = detected
    return m.body
  }

  await t.test('a CO value over the limit for the dwell time raises exactly one yellow alarm', async (t) => {
    const sentAt = await post(4500, 31)
    t.equal(changes.length, 1, 'the reading that completes the 2 s dwell raises')
    const raised = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.transition === 'raised', 'raised')
    alarmId = raised.body.alarmId
    t.match(alarmId, /^A[0-9A-Z]{17}$/, 'alarm id')
    const body = await expectTransition(1, 'raised', 'yellow', {
      value: 31,
      limit: 24,
      // startedAt is when the condition began (the first reading of the dwell); eventAt the reading that completed it.
      startedAt: iso(2500),
      late: false,
      state: 'open',
      active: true,
      eventAt: iso(4500),
      title: 'CO 超限'
    }, sentAt)
    t.match(body.message, /CO-101/, 'the message names the point')
    await noChange(5500, 35, 'a repeat above the limit updates nothing')
    await ledger.settled(watch)
    t.equal(watch.forSite(SITE).length, 1, 'exactly one message so far')
    const open = await call(app, 'GET', `/v1/alarms?state=open&site=${SITE}`, 'operator')
    t.match(open.body.alarms, [{ alarmId, seq: 1, state: 'open', active: true, level: 'yellow', value: 31, limit: 24 }])
    t.equal(open.body.alarms.length, 1)
  })

  await t.test('a higher level escalates at once, without a dwell', async (t) => {
    let sentAt = await post(6000, 55)
    await expectTransition(2, 'escalated', 'orange', { value: 55, limit: 50, startedAt: iso(2500), active: true, late: false }, sentAt)
    sentAt = await post(7000, 170)
    await expectTransition(3, 'escalated', 'red', { value: 170, limit: 160, startedAt: iso(2500), active: true }, sentAt)
  })

  await t.test('levels go down only below their release value', async (t) => {
    await noChange(8000, 150, 'between red release 140 and red 160 the level stays red')
    await noChange(9000, 140, 'exactly at the release value the level stays')
    let sentAt = await post(10_000, 139)
    await expectTransition(4, 'deescalated', 'orange', { value: 139, limit: 50, active: true }, sentAt)
    await noChange(11_000, 46, 'between orange release 45 and orange 50 the level stays')
    sentAt = await post(12_000, 44)
    await expectTransition(5, 'deescalated', 'yellow', { value: 44, limit: 24, active: true }, sentAt)
    await noChange(13_000, 21, 'between yellow release 20 and yellow 24 the level stays')
    await noChange(14_000, 20, 'exactly at the yellow release the level stays')
    sentAt = await post(15_000, 19.5)
    await expectTransition(6, 'cleared', 'yellow', { value: 19.5, limit: 20, active: false, state: 'open', startedAt: iso(2500) }, sentAt)
    const open = await call(app, 'GET', `/v1/alarms?site=${SITE}`, 'operator')
    t.match(open.body.alarms, [{ alarmId, seq: 6, state: 'open', active: false }], 'a cleared alarm stays open until an operator closes it')
  })

  await t.test('operators acknowledge, dispatch and close; each action is a published transition', async (t) => {
    const act = async (action: string, body: unknown, role: Role = 'operator'): Promise<Answer> => await call(app, 'POST', `/v1/alarms/${alarmId}/${action}`, role, body)

    // invalid bodies: 400 with details, and nothing changes (`by` may be left out: the caller acts as itself)
    for (const [action, body, path] of [
      ['ack', { by: '' }, '/by'],
      ['ack', { by: '值班员A', extra: 1 }, '/extra'],
      ['dispatch', { by: '值班员A' }, '/assignee'],
      ['dispatch', { by: '值班员A', assignee: '巡检员B', deadline: 'soon' }, '/deadline'],
      ['dispatch', { by: '值班员A', assignee: '巡检员B', deadline: '2000-01-01T00:00:00Z' }, '/deadline'],
      ['close', { by: '值班员A', disposition: 'maybe' }, '/disposition'],
      ['close', { by: '值班员A' }, '/disposition']
    ] as const) {
      const res = await act(action, body)
      t.equal(res.status, 400, `${action} ${JSON.stringify(body)} → 400`)
      t.match(res.body, { error: 'MW_ERR_INVALID_BODY', details: [{ path }] })
    }
    const notJson = await app.inject({ method: 'POST', url: `/v1/alarms/${alarmId}/ack`, headers: { ...auth('operator'), 'content-type': 'application/json' }, payload: '{"by":' })
    t.equal(notJson.statusCode, 400, 'a body that is not JSON → 400')
    // unknown ids: 404
    for (const [action, body] of [['ack', { by: 'x' }], ['dispatch', { by: 'x', assignee: 'y' }], ['close', { by: 'x', disposition: 'other' }]] as const) {
      const res = await call(app, 'POST', `/v1/alarms/A00000000000000000/${action}`, 'operator', body)
      t.equal(res.status, 404, `${action} of an unknown alarm → 404`)
      t.equal(res.body.error, 'MW_ERR_NOT_FOUND')
    }
    t.equal((await call(app, 'GET', '/v1/alarms/A00000000000000000', 'operator')).status, 404, 'GET of an unknown alarm → 404')
    t.equal((await act('ack', { by: 'x' }, 'gateway')).status, 403, 'a gateway may not handle alarms')
    t.equal((await act('ack', { by: 'x' }, 'otherOperator')).status, 404, 'an operator of another site may not either (its alarm ids are not confirmed)')
    await ledger.settled(watch)
    t.equal(watch.forSite(SITE).length, 6, 'refused actions publish nothing')

    // each action a quarter second after the previous transition (before the next reading is due), so detectedAt tells them apart
    let sentAt = moveTo(scheduler.now() + 250)
    const ack = await act('ack', { by: '值班员A', note: '已通知通风队' })
    t.equal(ack.status, 200)
    valid(ack.body.transition, 'the ack response')
    t.match(ack.body, { alarm: { alarmId, seq: 7, state: 'acknowledged' }, transition: { alarmId, seq: 7, transition: 'acknowledged', by: '值班员A', note: '已通知通风队' } })
    await expectTransition(7, 'acknowledged', 'yellow', { state: 'acknowledged', active: false, by: '值班员A', note: '已通知通风队' }, sentAt)

    const again = await act('ack', { by: '值班员B' })
    t.equal(again.status, 409, 'ack twice → 409')
    t.equal(again.body.error, 'MW_ERR_CONFLICT')

    sentAt = moveTo(scheduler.now() + 250)
    const dispatch = await act('dispatch', { by: '值班员A', assignee: '巡检员B', note: '现场核查' })
    t.equal(dispatch.status, 200)
    await expectTransition(8, 'dispatched', 'yellow', { state: 'dispatched', by: '值班员A', assignee: '巡检员B', note: '现场核查' }, sentAt)

    sentAt = moveTo(scheduler.now() + 250)
    const close = await act('close', { by: '值班员A', disposition: 'confirmed', note: '已处理' })
    t.equal(close.status, 200)
    await expectTransition(9, 'closed', 'yellow', { state: 'closed', active: false, by: '值班员A', disposition: 'confirmed', note: '已处理' }, sentAt)

    for (const [action, body] of [['ack', { by: 'x' }], ['dispatch', { by: 'x', assignee: 'y' }], ['close', { by: 'x', disposition: 'other' }]] as const) {
      t.equal((await act(action, body)).status, 409, `${action} of a closed alarm → 409`)
    }
    await ledger.settled(watch)
    t.equal(watch.of(alarmId).length, 9, 'nine transitions published, no more')
  })

  await t.test('the audit trail holds every transition in seq order', async (t) => {
    const names = ['raised', 'escalated', 'escalated', 'deescalated', 'deescalated', 'cleared', 'acknowledged', 'dispatched', 'closed']
    const detail = await call(app, 'GET', `/v1/alarms/${alarmId}`, 'operator')
    t.equal(detail.status, 200)
    t.match(detail.body.alarm, { alarmId, seq: 9, state: 'closed', active: false, level: 'yellow' })
    t.same(detail.body.history.map((h: AlarmMessage) => [h.seq, h.transition]), names.map((n, i) => [i + 1, n]), 'history in seq order')
    detail.body.history.forEach((h: AlarmMessage) => valid(h, `history seq ${h.seq}`))
    t.same(detail.body.history.map((h: AlarmMessage) => h.level), ['yellow', 'orange', 'red', 'orange', 'yellow', 'yellow', 'yellow', 'yellow', 'yellow'])
    t.same(detail.body.history, watch.of(alarmId).map((s) => s.body), 'the history is what was published')
    t.ok(detail.body.evidence.length >= 6, 'readings behind the condition transitions are kept as evidence')

    const rows = await until(async () => {
      const r = await app.questdb.reader.query<{ seq: number, transition: string, state: string, level: string, by_user: string | null, disposition: string | null, alarm_key: string }>(
        'SELECT seq, transition, state, level, by_user, disposition, alarm_key FROM alarm_transitions WHERE alarm_id = $1 ORDER BY seq', [alarmId])
      return r.length >= names.length ? r : undefined
    }, 'the audit rows')
    t.same(rows.map((r) => [r.seq, r.transition]), names.map((n, i) => [i + 1, n]), 'alarm_transitions has each transition once, in seq order')
    t.same(rows.map((r) => r.state), ['open', 'open', 'open', 'open', 'open', 'open', 'acknowledged', 'dispatched', 'closed'])
    t.same(rows.map((r) => r.by_user).slice(6), ['值班员A', '值班员A', '值班员A'], 'operator actions record who')
    t.equal(rows[8]?.disposition, 'confirmed')
    t.ok(rows.every((r) => r.alarm_key === KEY), 'every row carries the condition key')

    const stream = (await readStream(watch.nc)).filter((m) => m.body.alarmId === alarmId)
    t.same(stream.map((m) => m.msgId), names.map((_, i) => `${alarmId}:${i + 1}`), 'the JetStream stream holds each transition once, Nats-Msg-Id = alarmId:seq')
    t.same(stream.map((m) => m.subject), detail.body.history.map((h: AlarmMessage) => `minewatch.alarm.${SITE}.over_limit.${h.level}`))

    const open = await call(app, 'GET', `/v1/alarms?state=open&site=${SITE}`, 'operator')
    t.same(open.body.alarms, [], 'a closed alarm is not open')
    const all = await call(app, 'GET', `/v1/alarms?state=all&site=${SITE}`, 'operator')
    t.match(all.body.alarms, [{ alarmId, state: 'closed', seq: 9 }], 'state=all lists it')
  })

  await t.test('a recurrence after close raises a new alarm with a new id', async (t) => {
    const before = watch.forSite(SITE).length
    await noChange(16_000, 30, 'a new dwell starts')
    const sentAt = await post(18_000, 30)
    const raised = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.transition === 'raised' && s.body.alarmId !== alarmId, 'the second raise')
    t.not(raised.body.alarmId, alarmId, 'a new alarmId')
    t.equal(raised.msgId, `${raised.body.alarmId}:1`)
    valid(raised.body, 'the second raise')
    t.match(raised.body, { seq: 1, level: 'yellow', value: 30, limit: 24, startedAt: iso(16_000), state: 'open', active: true, late: false })
    t.equal(Date.parse(raised.body.detectedAt), sentAt, 'detected when the completing reading arrived')
    await ledger.settled(watch)
    t.equal(watch.forSite(SITE).length, before + 1, 'one message: the new raise')
    const open = await call(app, 'GET', `/v1/alarms?state=open&site=${SITE}`, 'operator')
    t.same(open.body.alarms.map((a: { alarmId: string }) => a.alarmId), [raised.body.alarmId])
  })
})
