import t from 'tap'
import { DISPATCH_DEADLINE_MAX_MS, isTransitionError, transition as rawTransition, type TransitionContext } from '../../../src/5-alarm/transition.js'
import type { Alarm, AlarmInput, AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import { alarm, change, ctx, T0 } from './fixtures.js'

const NOW = T0 + 10_000

type Applied = { alarm?: Alarm, record?: AlarmTransitionRecord }
type Refused = { error: string, message: string }

// Narrows the result for the assertions below: refusals and changes read through one shape.
function transition (current: Alarm | undefined, input: AlarmInput, c: TransitionContext): Applied & Partial<Refused> {
  return rawTransition(current, input, c) as Applied & Partial<Refused>
}
const EV = T0 + 5_000 // event time of the changes below

interface Row {
  name: string
  /** the current alarm, as overrides of the fixture; undefined: none */
  current?: Partial<Alarm>
  input: AlarmInput
  /** expected transition name, 'none' for {}, or an error kind */
  expect: string
  /** fields the resulting alarm must have */
  alarm?: Partial<Alarm>
}

const up = (level: 'blue' | 'yellow' | 'orange' | 'red' | null) => change(level, { eventTs: EV })
const ack: AlarmInput = { type: 'ack', by: '值班员A', note: '收到' }
const dispatch: AlarmInput = { type: 'dispatch', by: '值班员A', assignee: '巡检员B' }
const close: AlarmInput = { type: 'close', by: '值班员A', disposition: 'confirmed', note: '已处置' }

const rows: Row[] = [
  // condition, no alarm or a closed one
  { name: 'no alarm, condition absent', input: up(null), expect: 'none' },
  { name: 'no alarm, condition at yellow', input: up('yellow'), expect: 'raised', alarm: { alarmId: 'N1', seq: 1, level: 'yellow', active: true, state: 'open', startedAt: EV, eventTs: EV, detectedAt: NOW } },
  { name: 'closed alarm, condition absent', current: { state: 'closed', active: false }, input: up(null), expect: 'none' },
  { name: 'closed while active, condition absent', current: { state: 'closed', active: true }, input: up(null), expect: 'none' },
  { name: 'closed alarm, condition again', current: { state: 'closed', active: false, seq: 4 }, input: up('red'), expect: 'raised', alarm: { alarmId: 'N1', seq: 1, level: 'red', state: 'open' } },
  { name: 'closed while active, condition escalates', current: { state: 'closed', active: true }, input: up('red'), expect: 'raised', alarm: { alarmId: 'N1', seq: 1, level: 'red' } },
  // condition, open and active
  { name: 'active yellow, condition absent', input: up(null), current: {}, expect: 'cleared', alarm: { alarmId: 'A1', seq: 2, level: 'yellow', active: false, state: 'open', value: 10, eventTs: EV, startedAt: T0 } },
  { name: 'active yellow, condition red', current: {}, input: up('red'), expect: 'escalated', alarm: { seq: 2, level: 'red', active: true, startedAt: T0 } },
  { name: 'active red, condition blue', current: { level: 'red' }, input: up('blue'), expect: 'deescalated', alarm: { seq: 2, level: 'blue', active: true } },
  { name: 'active yellow, condition yellow (replay)', current: {}, input: up('yellow'), expect: 'none' },
  { name: 'acknowledged, condition red keeps the handling state', current: { state: 'acknowledged', seq: 2 }, input: up('red'), expect: 'escalated', alarm: { seq: 3, state: 'acknowledged' } },
  // condition, open but cleared: a recurrence re-raises the same alarm
  { name: 'cleared, condition orange', current: { active: false, seq: 2 }, input: up('orange'), expect: 'raised', alarm: { alarmId: 'A1', seq: 3, level: 'orange', active: true, state: 'open', startedAt: EV } },
  { name: 'cleared and dispatched, condition blue', current: { active: false, state: 'dispatched', seq: 3 }, input: up('blue'), expect: 'raised', alarm: { alarmId: 'A1', seq: 4, state: 'dispatched', active: true } },
  { name: 'cleared, condition absent', current: { active: false }, input: up(null), expect: 'none' },
  // ack
  { name: 'ack open', current: {}, input: ack, expect: 'acknowledged', alarm: { seq: 2, state: 'acknowledged', eventTs: T0 } },
  { name: 'ack acknowledged', current: { state: 'acknowledged' }, input: ack, expect: 'conflict' },
  { name: 'ack dispatched', current: { state: 'dispatched' }, input: ack, expect: 'conflict' },
  { name: 'ack closed', current: { state: 'closed' }, input: ack, expect: 'conflict' },
  { name: 'ack unknown', input: ack, expect: 'not_found' },
  // dispatch
  { name: 'dispatch open', current: {}, input: dispatch, expect: 'dispatched', alarm: { seq: 2, state: 'dispatched' } },
  { name: 'dispatch acknowledged', current: { state: 'acknowledged', seq: 2 }, input: dispatch, expect: 'dispatched', alarm: { seq: 3, state: 'dispatched' } },
  { name: 'dispatch dispatched', current: { state: 'dispatched' }, input: dispatch, expect: 'conflict' },
  { name: 'dispatch closed', current: { state: 'closed' }, input: dispatch, expect: 'conflict' },
  { name: 'dispatch without assignee', current: {}, input: { type: 'dispatch', by: 'x', assignee: ' ' }, expect: 'conflict' },
  { name: 'dispatch unknown', input: dispatch, expect: 'not_found' },
  // close
  { name: 'close open and active: active stays true', current: {}, input: close, expect: 'closed', alarm: { seq: 2, state: 'closed', active: true } },
  { name: 'close cleared', current: { active: false }, input: close, expect: 'closed', alarm: { state: 'closed', active: false } },
  { name: 'close acknowledged', current: { state: 'acknowledged' }, input: close, expect: 'closed', alarm: { state: 'closed' } },
  { name: 'close dispatched', current: { state: 'dispatched' }, input: close, expect: 'closed', alarm: { state: 'closed' } },
  { name: 'close closed', current: { state: 'closed' }, input: close, expect: 'conflict' },
  { name: 'close unknown', input: close, expect: 'not_found' }
]

t.test('alarms - transition table', async (t) => {
  for (const row of rows) {
    const current = row.current === undefined ? undefined : alarm(row.current)
    const before = JSON.stringify(current)
    const r = transition(current, row.input, ctx(NOW))
    t.equal(JSON.stringify(current), before, `${row.name}: current is not mutated`)
    if (r.error !== undefined) {
      t.equal(r.error, row.expect, row.name)
      t.match(r.message ?? '', /\S/, `${row.name}: has a message`)
      continue
    }
    if (row.expect === 'none') {
      t.same(r, {}, row.name)
      continue
    }
    t.equal(r.record?.transition, row.expect, row.name)
    t.match(r.alarm, row.alarm ?? {}, `${row.name}: alarm`)
    t.equal(r.record?.alarm, r.alarm, `${row.name}: record carries the alarm`)
    t.equal(r.record?.seq, r.alarm?.seq, `${row.name}: record seq`)
    t.equal(r.record?.seq, (current?.state === 'closed' || current === undefined) ? 1 : (current.seq + 1), `${row.name}: seq grows by one`)
    t.equal(r.record?.detectedAt, NOW, `${row.name}: detectedAt is now`)
  }
})

t.test('alarms - condition records carry event time, lateness, evidence and arrival', async (t) => {
  const evidence = [{ point: 'CO-101', ts: EV, value: 31, status: 0 }]
  const r = transition(undefined, change('red', { eventTs: EV, late: true, evidence, receivedAt: NOW - 20 }), ctx(NOW))
  t.match(r, { record: { eventTs: EV, late: true, evidence, receivedAt: NOW - 20, detectedAt: NOW }, alarm: { late: true } })
  t.notOk(r.record?.by)
})

t.test('alarms - operator records carry who, what and the action time', async (t) => {
  const r1 = transition(alarm(), { type: 'dispatch', by: '值班员A', assignee: '巡检员B', note: '现场核查' }, ctx(NOW))
  t.match(r1.record, { eventTs: NOW, by: '值班员A', assignee: '巡检员B', note: '现场核查', late: false })
  const r2 = transition(alarm({ late: true }), { type: 'close', by: 'x', disposition: 'false_alarm' }, ctx(NOW))
  t.match(r2.record, { disposition: 'false_alarm', late: true })
  t.notOk(r2.record && 'note' in r2.record, 'no note key when none was given')
  // the alarm's condition event time is not moved by an operator
  t.equal(r2.alarm?.eventTs, T0)
})

t.test('alarms - a condition step refreshes rule version, value and message', async (t) => {
  const c = change('red', { eventTs: EV, value: 80, message: 'CO 80', rule: { ...change('red').rule, ruleVersion: 'v2' } })
  const r = transition(alarm(), c, ctx(NOW))
  t.match(r.alarm, { ruleVersion: 'v2', value: 80, message: 'CO 80', level: 'red' })
})

t.test('alarms - two transitions of one alarm never share a millisecond', async (t) => {
  const current = alarm({ detectedAt: NOW })
  const r = transition(current, { type: 'ack', by: 'x' }, ctx(NOW))
  t.equal(r.record?.detectedAt, NOW + 1)
  const back = transition(alarm({ detectedAt: NOW + 50 }), { type: 'ack', by: 'x' }, ctx(NOW))
  t.equal(back.record?.detectedAt, NOW + 51, 'a clock stepping back does not reorder the trail')
})

t.test('alarms - isTransitionError tells refusals apart', async (t) => {
  t.ok(isTransitionError(rawTransition(undefined, { type: 'ack', by: 'x' }, ctx())))
  t.notOk(isTransitionError(rawTransition(undefined, change(null), ctx())))
})

t.test('alarms - a dispatch may name a deadline: ahead of the server clock, at most 7 days; the alarm keeps it', async (t) => {
  const HOUR = 3_600_000
  const at = (deadline: number): AlarmInput => ({ type: 'dispatch', by: '值班员A', assignee: '巡检员B', deadline })
  const r = transition(alarm(), at(NOW + HOUR), ctx(NOW))
  t.match(r.record, { transition: 'dispatched', assignee: '巡检员B' })
  t.match(r.alarm, { state: 'dispatched', deadline: NOW + HOUR, verificationOverdue: false })
  t.equal(r.record?.alarm.deadline, NOW + HOUR, 'the dispatched transition carries it')
  t.equal(transition(alarm(), at(NOW + DISPATCH_DEADLINE_MAX_MS), ctx(NOW)).alarm?.deadline, NOW + DISPATCH_DEADLINE_MAX_MS, 'exactly 7 days ahead is taken')
  t.equal(transition(alarm(), dispatch, ctx(NOW)).alarm?.deadline, null, 'no deadline named: none')

  // refused with the field's path, whatever the state would allow
  const refused = (deadline: number, why: RegExp, name: string): void => {
    const bad = transition(alarm(), at(deadline), ctx(NOW))
    t.match(bad, { error: 'invalid', path: '/deadline', message: why }, name)
    t.notOk(bad.alarm, `${name}: nothing changes`)
  }
  refused(NOW, /future/, 'now is not ahead')
  refused(NOW - 1, /future/, 'in the past')
  refused(NOW + DISPATCH_DEADLINE_MAX_MS + 1, /7 days/, 'more than 7 days ahead')
  refused(Number.NaN, /RFC 3339/, 'not a time')
  t.match(transition(alarm({ state: 'dispatched' }), at(NOW - 1), ctx(NOW)), { error: 'conflict' }, 'the state is checked first: already dispatched is a conflict')
  t.notOk(isTransitionError(rawTransition(alarm(), at(NOW + 1), ctx(NOW))), 'one ms ahead is taken')

  // the alarm keeps it through later transitions, the close included
  const dispatched = r.alarm as Alarm
  const cleared = transition(dispatched, change(null, { eventTs: NOW }), ctx(NOW + 1000))
  t.equal(cleared.alarm?.deadline, NOW + HOUR, 'a condition step keeps it')
  const closed = transition(dispatched, close, ctx(NOW + 2000))
  t.match(closed.alarm, { state: 'closed', deadline: NOW + HOUR })
})

t.test('alarms - the dispatch deadline passing while still dispatched marks verification_overdue, once', async (t) => {
  const due = { type: 'deadline', kind: 'verification' } as const
  const later = NOW + 3_600_000
  const dispatched = alarm({ state: 'dispatched', deadline: NOW, seq: 3 })
  const r = transition(dispatched, due, ctx(later))
  t.match(r.record, { transition: 'verification_overdue', seq: 4, eventTs: later })
  t.match(r.alarm, { state: 'dispatched', verificationOverdue: true, deadline: NOW, overdue: false })
  const marked = r.alarm as Alarm
  t.same(transition(marked, due, ctx(later + 1)), {}, 'not twice')
  t.same(transition(alarm({ state: 'closed', deadline: NOW }), due, ctx(later)), {}, 'closed in time: nothing')
  t.same(transition(alarm({ state: 'dispatched', deadline: null }), due, ctx(later)), {}, 'no deadline: nothing')
  t.match(transition(marked, close, ctx(later + 1000)).alarm, { state: 'closed', verificationOverdue: true }, 'the close keeps the mark')
})

t.test('alarms - the repair deadline does not mark an alarm a maintenance window holds; it does once the window is over', async (t) => {
  const due = { type: 'deadline', kind: 'repair' } as const
  const held = alarm({ shelf: { until: NOW + 3_600_000, reason: 'M1：主扇检修', by: 'maintenance', maintenance: 'M1' } })
  t.same(transition(held, due, ctx(NOW)), {}, 'planned work: not overdue')
  t.match(transition(held, due, ctx(NOW + 3_600_001)).record, { transition: 'repair_overdue' }, 'after the window: overdue')
  t.match(transition(alarm({ shelf: { until: NOW + 3_600_000, reason: '误报', by: 'op' } }), due, ctx(NOW)).record, { transition: 'repair_overdue' }, 'an ordinary shelf does not stop the repair clock')
})
