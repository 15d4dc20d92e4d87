// The dispatch deadline over HTTP: POST /v1/alarms/{alarmId}/dispatch `{ assignee, note?, by?, deadline? }` through
// app.inject, with the contract schemas, auth, validation and error plugins, the real alarm service over an
// in-memory store and a manual clock. A good deadline is carried by the transition, the alarm, the published message,
// the audit and GET /v1/alarms/{alarmId} (after a restart too); one not ahead of the server clock, more than 7 days
// ahead, or not a time is a 400 naming /deadline; a body without one is accepted as before.
import t from 'tap'
import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance } from 'fastify'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { Registry } from 'prom-client'
import { asyncScheduler } from 'rxjs'
import alarmRoutes from '../../src/5-alarm/routes.js'
import authPlugin from '../../src/server/plugins/auth.js'
import errorsPlugin from '../../src/server/plugins/errors.js'
import schemasPlugin from '../../src/server/plugins/schemas.js'
import validationPlugin from '../../src/server/plugins/validation.js'
import type { Principal } from '../../src/server/auth/tokens.js'
import { createAlarmService, type AlarmService } from '../../src/5-alarm/service.js'
import { createAlarmMetrics } from '../../src/5-alarm/metrics.js'
import type { AlarmTransitionRecord } from '../../src/5-alarm/types.js'
import { toAlarmMessage } from '../../src/6-publish/message.js'
import { ManualClock } from '../../src/lib/clock.js'
import { alarmQueries, FakeReader, FakeWriter, MemoryAudit } from '../helpers/fake-store.js'
import { change, T0 } from '../unit/5-alarm/fixtures.js'
import type { Log } from '../../src/lib/log.js'

const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }
const TOKENS = new Map<string, Principal>([['operator-all-sites-token', { role: 'operator', sites: '*', name: 'op' }]])
const OP = { authorization: 'Bearer operator-all-sites-token' }
const HOUR = 3_600_000
/** NOW is the server clock of the test: one minute after the fixtures' T0 (2026-11-21T00:01:00Z). */
const NOW = T0 + 60_000

function messageSchema () {
  const ajv = new Ajv({ allErrors: true, strict: true })
  addFormats.default(ajv)
  for (const f of ['common.json', 'alarm-message.json']) ajv.addSchema(JSON.parse(readFileSync(new URL(`../../schemas/${f}`, import.meta.url), 'utf8')))
  const validate = ajv.getSchema('https://minewatch.example/schemas/v1/alarm-message.json')
  if (validate === undefined) throw new Error('alarm-message.json is not loaded')
  return validate
}

// An app over `writer`: a second one over the same writer is a restart (state rebuilt from the stored rows).
async function build (tt: { teardown: (fn: () => unknown) => void }, writer = new FakeWriter()) {
  const app: FastifyInstance = Fastify()
  tt.teardown(() => app.close())
  await app.register(errorsPlugin)
  await app.register(schemasPlugin)
  await app.register(validationPlugin)
  await app.register(authPlugin, { tokens: TOKENS })
  const clock = new ManualClock(NOW)
  const published: AlarmTransitionRecord[] = []
  let n = 0
  const alarms: AlarmService = createAlarmService({
    writer,
    reader: new FakeReader().on(alarmQueries(writer)),
    clock,
    scheduler: asyncScheduler,
    log: silent,
    metrics: createAlarmMetrics(new Registry()),
    publisher: { enqueue: (r) => { published.push(r) } },
    newId: () => `A${++n}`
  })
  await alarms.start()
  tt.teardown(async () => { await alarms.close() })
  const audit = new MemoryAudit()
  app.decorate('alarms', alarms)
  app.decorate('audit', audit)
  await app.register(alarmRoutes)
  await app.ready()
  const dispatch = async (payload: object, id = 'A1') => await app.inject({ method: 'POST', url: `/v1/alarms/${id}/dispatch`, headers: OP, payload })
  return { app, alarms, published, audit, clock, writer, dispatch }
}

t.test('dispatch http - a deadline ahead of the server clock is carried by the transition, the alarm, NATS, the audit and the history', async (t) => {
  const { app, alarms, published, audit, writer, dispatch } = await build(t)
  await alarms.onCondition(change('yellow', { key: 'k1', siteCode: 'S1' }))
  const validate = messageSchema()
  // given with an offset, answered in UTC (2026-11-21T10:00:00+08:00 = 02:00Z, two hours after T0)
  const res = await dispatch({ by: '值班员A', assignee: '巡检员B', note: '带便携仪', deadline: '2026-11-21T10:00:00+08:00' })
  t.equal(res.statusCode, 200, res.body)
  const deadline = '2026-11-21T02:00:00.000Z'
  t.match(res.json(), {
    alarm: { state: 'dispatched', deadline, verificationOverdue: false },
    transition: { transition: 'dispatched', assignee: '巡检员B', note: '带便携仪', deadline }
  })
  const sent = published.at(-1) as AlarmTransitionRecord
  t.equal(sent.alarm.deadline, T0 + 2 * HOUR, 'the published record carries it')
  const message = toAlarmMessage(sent)
  t.equal(message.deadline, deadline, 'the NATS payload carries it')
  t.ok(validate(message), 'the message matches alarm-message.json', { errors: validate.errors })
  t.match(audit.records.at(-1), { action: 'dispatch', target: 'A1', detail: { assignee: '巡检员B', deadline } })

  const detail = (await app.inject({ url: '/v1/alarms/A1', headers: OP })).json()
  t.equal(detail.alarm.deadline, deadline)
  t.same(detail.history.map((m: { transition: string, deadline?: string }) => [m.transition, m.deadline]), [['raised', undefined], ['dispatched', deadline]])

  // the close keeps what was asked
  const closed = await app.inject({ method: 'POST', url: '/v1/alarms/A1/close', headers: OP, payload: { by: '值班员A', disposition: 'confirmed' } })
  t.match(closed.json(), { alarm: { state: 'closed', deadline }, transition: { transition: 'closed', deadline } })

  // a restart rebuilds it from the stored rows: the alarm and its history
  const again = await build(t, writer)
  const after = (await again.app.inject({ url: '/v1/alarms/A1', headers: OP })).json()
  t.match(after.alarm, { state: 'closed', deadline })
  t.same(after.history.map((m: { transition: string, deadline?: string }) => [m.transition, m.deadline]), [['raised', undefined], ['dispatched', deadline], ['closed', deadline]])
})

t.test('dispatch http - a deadline not ahead of the server clock, too far ahead or not a time is a 400 naming /deadline', async (t) => {
  const { app, alarms, published, audit, dispatch } = await build(t)
  await alarms.onCondition(change('yellow', { key: 'k1', siteCode: 'S1' }))
  const before = published.length
  const refused = async (deadline: unknown, message: RegExp, name: string): Promise<void> => {
    const res = await dispatch({ assignee: '巡检员B', deadline })
    t.equal(res.statusCode, 400, name)
    const body = res.json()
    t.equal(body.error, 'MW_ERR_INVALID_BODY', `${name}: the catalogue's code`)
    t.match(body.details, [{ path: '/deadline', message }], `${name}: details name /deadline`)
    t.equal(body.details.length, 1, `${name}: one detail`)
  }
  await refused('2026-11-20T23:00:00Z', /future/, 'in the past')
  await refused(new Date(NOW).toISOString(), /future/, 'exactly the server time')
  await refused('2026-11-28T00:01:00.001Z', /7 days/, 'more than 7 days ahead')
  await refused('tomorrow 9:00', /date-time/, 'not a date')
  await refused('2026-11-21T10:00:00', /date-time/, 'a time without an offset')
  await refused(T0 + 2 * HOUR, /string/, 'epoch ms: the field is RFC 3339 text')
  t.equal(published.length, before, 'nothing published')
  t.equal(audit.records.length, 0, 'nothing audited as done')
  t.match((await app.inject({ url: '/v1/alarms/A1', headers: OP })).json().alarm, { state: 'open', seq: 1, deadline: null })
  const edge = await dispatch({ assignee: '巡检员B', deadline: '2026-11-28T00:01:00Z' })
  t.equal(edge.statusCode, 200, 'exactly 7 days ahead is taken')
})

t.test('dispatch http - a body without a deadline is accepted as before', async (t) => {
  const { app, alarms, published, dispatch } = await build(t)
  await alarms.onCondition(change('yellow', { key: 'k1', siteCode: 'S1' }))
  const res = await dispatch({ by: 'x', assignee: '巡检员B', note: '期限: 2026-11-21T02:00:00.000Z' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, { alarm: { state: 'dispatched', deadline: null, verificationOverdue: false }, transition: { transition: 'dispatched', assignee: '巡检员B', note: '期限: 2026-11-21T02:00:00.000Z' } })
  t.notOk('deadline' in body.transition, 'no deadline key in the message')
  t.notOk('deadline' in toAlarmMessage(published.at(-1) as AlarmTransitionRecord), 'nor on NATS: a v1 message stays as it was')
  t.equal((await app.inject({ url: '/v1/alarms/A1', headers: OP })).json().alarm.deadline, null)
  t.equal((await dispatch({ assignee: '巡检员B', deadline: '2026-11-21T02:00:00Z' })).statusCode, 409, 'already dispatched: the state is a conflict before the deadline is looked at')
})
