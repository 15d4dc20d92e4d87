import t from 'tap'
import { readFile } from 'node:fs/promises'
import { Ajv } from 'ajv'
import formats from 'ajv-formats'
import { toAlarmMessage, encodeAlarmMessage } from '../../../src/6-publish/message.js'
import { transition } from '../../../src/5-alarm/transition.js'
import type { AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import { alarm, change, ctx, T0 } from '../5-alarm/fixtures.js'

const schemaDir = new URL('../../../schemas/', import.meta.url)
const MESSAGE_ID = 'https://minewatch.example/schemas/v1/alarm-message.json'

async function validator () {
  const ajv = new Ajv({ allErrors: true, strict: false })
  formats.default(ajv)
  for (const name of ['common.json', 'alarm-message.json']) {
    ajv.addSchema(JSON.parse(await readFile(new URL(name, schemaDir), 'utf8')))
  }
  const validate = ajv.getSchema(MESSAGE_ID)
  if (validate === undefined) throw new Error('alarm-message schema not found')
  return validate
}

const record = (r: ReturnType<typeof transition>): AlarmTransitionRecord => {
  if (!('record' in r) || r.record === undefined) throw new Error('no record')
  return r.record
}

t.test('publish - every transition renders a message valid against alarm-message.json', async (t) => {
  const validate = await validator()
  const raised = record(transition(undefined, change('yellow', { value: null, limit: null }), ctx()))
  const cases = [
    raised,
    record(transition(raised.alarm, change(null), ctx())),
    record(transition(alarm(), { type: 'ack', by: '值班员A' }, ctx())),
    record(transition(alarm(), { type: 'dispatch', by: '值班员A', assignee: '巡检员B', note: '现场核查' }, ctx())),
    record(transition(alarm(), { type: 'dispatch', by: '值班员A', assignee: '巡检员B', deadline: T0 + 3_600_000 }, ctx())),
    record(transition(alarm({ state: 'dispatched', deadline: T0 }), { type: 'deadline', kind: 'verification' }, ctx())),
    record(transition(alarm({ hazardClause: '第三条第(一)项' }), { type: 'close', by: '值班员A', disposition: 'false_alarm' }, ctx())),
    record(transition(alarm(), change('red', { value: Number.NaN }), ctx()))
  ]
  for (const r of cases) {
    const msg = JSON.parse(Buffer.from(encodeAlarmMessage(r)).toString('utf8'))
    t.ok(validate(msg), `${r.transition}: ${JSON.stringify(validate.errors)}`)
  }
})

t.test('publish - message fields and RFC 3339 UTC times', async (t) => {
  const r = record(transition(alarm(), { type: 'dispatch', by: '值班员A', assignee: '巡检员B' }, ctx(T0 + 1500)))
  t.same(toAlarmMessage(r), {
    alarmId: 'A1',
    seq: 2,
    transition: 'dispatched',
    category: 'over_limit',
    level: 'yellow',
    siteCode: 'SC-IRON',
    points: ['CO-101'],
    ruleId: 'gas.co.limit',
    ruleVersion: 'v1',
    title: 'CO 超限',
    message: 'CO-101 CO 31 ppm ≥ 24 ppm',
    value: 31,
    limit: 24,
    startedAt: '2026-11-21T00:00:00.000Z',
    detectedAt: '2026-11-21T00:00:01.500Z',
    late: false,
    hazardClause: null,
    state: 'dispatched',
    active: true,
    eventAt: '2026-11-21T00:00:01.500Z',
    source: 'AQ 1029-2019 §5',
    by: '值班员A',
    assignee: '巡检员B'
  })
})

t.test('publish - the dispatch deadline and its overdue mark appear once they mean something', async (t) => {
  const dispatched = record(transition(alarm(), { type: 'dispatch', by: '值班员A', assignee: '巡检员B', deadline: T0 + 3_600_000 }, ctx()))
  t.match(toAlarmMessage(dispatched), { transition: 'dispatched', deadline: '2026-11-21T01:00:00.000Z' })
  t.notOk('verificationOverdue' in toAlarmMessage(dispatched))
  const marked = record(transition(dispatched.alarm, { type: 'deadline', kind: 'verification' }, ctx(T0 + 3_600_000)))
  t.match(toAlarmMessage(marked), { transition: 'verification_overdue', deadline: '2026-11-21T01:00:00.000Z', verificationOverdue: true })
  const plain = record(transition(alarm(), { type: 'dispatch', by: '值班员A', assignee: '巡检员B' }, ctx()))
  t.notOk('deadline' in toAlarmMessage(plain), 'no deadline named: the key is left out, not null')
})
