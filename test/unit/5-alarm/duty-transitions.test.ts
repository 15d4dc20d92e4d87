// The duty room's transitions in the one pure function: deadlines that escalate or mark overdue, and shelving
// with its two-person rule for red alarms.
import t from 'tap'
import { transition } from '../../../src/5-alarm/transition.js'
import type { Alarm, AlarmInput } from '../../../src/5-alarm/types.js'
import { alarm, change, ctx, T0 } from './fixtures.js'

const NOW = T0 + 10_000
const run = (current: Partial<Alarm>, input: AlarmInput): any => transition(alarm(current), input, ctx(NOW))
const shelf = { until: NOW + 60_000, reason: '标校', by: 'op1' }

t.test('duty transitions - a response deadline escalates an open alarm, once per deadline', async (t) => {
  const r = run({}, { type: 'deadline', kind: 'response' })
  t.match(r.record, { transition: 'response_overdue', seq: 2, eventTs: NOW })
  t.equal(r.alarm.escalation, 1)
  t.equal(run({ escalation: 1 }, { type: 'deadline', kind: 'response' }).alarm.escalation, 2)
  for (const current of [{ state: 'acknowledged' as const }, { state: 'dispatched' as const }, { state: 'closed' as const }, { shelf }]) {
    t.same(run(current, { type: 'deadline', kind: 'response' }), {}, `no escalation when ${JSON.stringify(current)}`)
  }
})

t.test('duty transitions - a repair deadline marks the alarm overdue once, and the close keeps the mark', async (t) => {
  const r = run({ state: 'acknowledged' }, { type: 'deadline', kind: 'repair' })
  t.match(r.record, { transition: 'repair_overdue' })
  t.equal(r.alarm.overdue, true)
  t.same(run({ overdue: true }, { type: 'deadline', kind: 'repair' }), {}, 'not twice')
  t.same(run({ state: 'closed' }, { type: 'deadline', kind: 'repair' }), {}, 'not after the close')
  const closed = transition(r.alarm, { type: 'close', by: 'op1', disposition: 'confirmed' }, ctx(NOW + 1000)) as any
  t.equal(closed.alarm.overdue, true)
})

t.test('duty transitions - shelving needs a reason and a future end; a red alarm needs a second person', async (t) => {
  const ok = run({ level: 'yellow' }, { type: 'shelve', by: 'op1', reason: '标校', until: NOW + 60_000 })
  t.match(ok.record, { transition: 'shelved', by: 'op1', note: '标校' })
  t.same(ok.alarm.shelf, { until: NOW + 60_000, reason: '标校', by: 'op1' })
  t.match(run({}, { type: 'shelve', by: 'op1', reason: ' ', until: NOW + 1 }), { error: 'conflict', message: /reason/ })
  t.match(run({}, { type: 'shelve', by: 'op1', reason: 'x', until: NOW }), { error: 'conflict', message: /future/ })
  t.match(run({ shelf }, { type: 'shelve', by: 'op1', reason: 'x', until: NOW + 1 }), { error: 'conflict', message: /already/ })
  t.match(run({ state: 'closed' }, { type: 'shelve', by: 'op1', reason: 'x', until: NOW + 1 }), { error: 'conflict' })
  t.match(run({ level: 'red' }, { type: 'shelve', by: 'op1', reason: 'x', until: NOW + 1 }), { error: 'conflict', message: /second person/ })
  t.match(run({ level: 'red' }, { type: 'shelve', by: 'op1', reason: 'x', until: NOW + 1, approvedBy: 'op1' }), { error: 'conflict' }, 'not the same person twice')
  const red = run({ level: 'red' }, { type: 'shelve', by: 'op1', reason: 'x', until: NOW + 1, approvedBy: 'sup1' })
  t.equal(red.alarm.shelf.approvedBy, 'sup1')
})

t.test('duty transitions - unshelve takes the shelf down; rising to red takes down a one-person shelf', async (t) => {
  const down = run({ shelf }, { type: 'unshelve', by: 'system', note: 'the shelf ended' })
  t.match(down.record, { transition: 'unshelved', by: 'system' })
  t.equal(down.alarm.shelf, null)
  t.match(run({}, { type: 'unshelve', by: 'op1' }), { error: 'conflict', message: /not shelved/ })
  const toRed = run({ level: 'yellow', shelf }, change('red', { eventTs: NOW }))
  t.equal(toRed.record.transition, 'escalated')
  t.equal(toRed.alarm.shelf, null, 'red needs two people: the shelf of one does not hold it')
  const approved = { ...shelf, approvedBy: 'sup1' }
  t.same(run({ level: 'orange', shelf: approved }, change('red', { eventTs: NOW })).alarm.shelf, approved, 'an approved shelf holds')
})

t.test('duty transitions - a re-raise restarts the deadlines', async (t) => {
  const r = run({ active: false, escalation: 2, raisedAt: T0 }, change('yellow', { eventTs: NOW }))
  t.equal(r.record.transition, 'raised')
  t.equal(r.alarm.escalation, 0)
  t.equal(r.alarm.raisedAt, NOW)
  const fresh = transition(undefined, change('yellow', { eventTs: NOW }), ctx(NOW)) as any
  t.match(fresh.alarm, { raisedAt: NOW, escalation: 0, overdue: false, shelf: null })
})
