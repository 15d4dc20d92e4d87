// Deadlines in virtual time, through the real alarm service over in-memory storage: an unacknowledged alarm is
// escalated at each response deadline of its level, the acknowledgment stops it, the repair deadline marks it
// overdue, a shelf ends by itself, and a restart fires what came due while the server was down.
import t from 'tap'
import { Registry } from 'prom-client'
import { clockOf } from '../../../src/lib/clock.js'
import { advanceTo, createReplayScheduler } from '../../../src/lib/virtual-time.js'
import { createAlarmService, type AlarmService } from '../../../src/5-alarm/service.js'
import { createAlarmMetrics } from '../../../src/5-alarm/metrics.js'
import { createDeadlines, dueOf, MAX_TIMER_MS, type DeadlinePolicy } from '../../../src/5-alarm/deadlines.js'
import type { AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import { silentLog } from '../../../src/lib/log.js'
import { alarmQueries, FakeReader, FakeWriter } from '../../helpers/fake-store.js'
import { alarm, change, T0 } from './fixtures.js'

const MIN = 60_000
const POLICY: DeadlinePolicy = { responseMs: { red: 5 * MIN, orange: 15 * MIN, yellow: 30 * MIN, blue: 60 * MIN }, repairMs: 24 * 60 * MIN, maxEscalations: 3 }

async function setup (t: { teardown: (fn: () => unknown) => void }, writer = new FakeWriter(), policy = POLICY) {
  const scheduler = createReplayScheduler(T0)
  const clock = clockOf(scheduler)
  let n = 0
  const service: AlarmService = createAlarmService({
    writer,
    reader: new FakeReader().on(alarmQueries(writer)),
    clock,
    scheduler,
    log: silentLog,
    metrics: createAlarmMetrics(new Registry()),
    publisher: { enqueue: () => {} },
    newId: () => `D${++n}`
  })
  await service.start()
  const seen: AlarmTransitionRecord[] = []
  const sub = service.transitions$.subscribe((r) => seen.push(r))
  const deadlines = createDeadlines({ alarms: service, scheduler, clock, policy, log: silentLog })
  await deadlines.start()
  t.teardown(() => { sub.unsubscribe(); deadlines.close() })
  // a timer's work is a promise: let it settle after each move
  const at = async (ms: number): Promise<string[]> => {
    advanceTo(scheduler, T0 + ms)
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
    return seen.splice(0).map((r) => `${r.transition}${r.alarm.escalation > 0 ? ':' + r.alarm.escalation : ''}`)
  }
  return { service, deadlines, at, writer }
}

t.test('deadlines - dueOf lists what is ahead of an alarm in its state', async (t) => {
  const a = alarm({ level: 'red', raisedAt: T0 })
  t.same(dueOf(a, POLICY), [{ kind: 'response', at: T0 + 5 * MIN }, { kind: 'repair', at: T0 + 24 * 60 * MIN }])
  t.same(dueOf({ ...a, escalation: 2 }, POLICY)[0], { kind: 'response', at: T0 + 15 * MIN }, 'the third deadline')
  t.same(dueOf({ ...a, escalation: 3 }, POLICY).map((d) => d.kind), ['repair'], 'capped')
  t.same(dueOf({ ...a, state: 'acknowledged' }, POLICY).map((d) => d.kind), ['repair'])
  t.same(dueOf({ ...a, shelf: { until: T0 + MIN, reason: 'r', by: 'b' } }, POLICY).map((d) => d.kind), ['repair', 'shelf'])
  t.same(dueOf({ ...a, shelf: { until: T0 + MIN, reason: 'r', by: 'maintenance', maintenance: 'M1' } }, POLICY).map((d) => d.kind), ['shelf'], 'held by a maintenance window: no repair clock')
  t.same(dueOf({ ...a, state: 'closed' }, POLICY), [])
  const dispatched = { ...a, state: 'dispatched' as const, deadline: T0 + 90 * MIN }
  t.same(dueOf(dispatched, POLICY), [{ kind: 'repair', at: T0 + 24 * 60 * MIN }, { kind: 'verification', at: T0 + 90 * MIN }], 'a dispatch deadline')
  t.same(dueOf({ ...dispatched, verificationOverdue: true }, POLICY).map((d) => d.kind), ['repair'], 'marked once')
  t.same(dueOf({ ...dispatched, deadline: null }, POLICY).map((d) => d.kind), ['repair'], 'a dispatch without a deadline')
})

t.test('deadlines - a dispatch deadline passing while still dispatched marks verification_overdue; the repair mark stays its own', async (t) => {
  const { service, at } = await setup(t)
  await service.onCondition(change('yellow', { eventTs: T0 }))
  t.same(await at(MIN), ['raised'])
  await service.act('D1', { type: 'dispatch', by: 'op1', assignee: '巡检员B', deadline: T0 + 2 * 60 * MIN })
  t.same(await at(MIN + 1), ['dispatched'])
  t.same(await at(2 * 60 * MIN - 1), [], 'not before the deadline (and no response escalation once dispatched)')
  t.same(await at(2 * 60 * MIN), ['verification_overdue'], 'exactly at the deadline')
  t.same(await at(23 * 60 * MIN), [], 'once')
  t.same(await at(24 * 60 * MIN), ['repair_overdue'], 'the repair deadline still counts from the raise')
  const closed = await service.act('D1', { type: 'close', by: 'op1', disposition: 'confirmed' })
  t.match(closed.alarm, { verificationOverdue: true, overdue: true, deadline: T0 + 2 * 60 * MIN })
})

t.test('deadlines - closed before its dispatch deadline, an alarm is never marked; a restart keeps the deadline\'s timer', async (t) => {
  const writer = new FakeWriter()
  const first = await setup(t, writer)
  await first.service.onCondition(change('yellow', { eventTs: T0 }))
  await first.service.onCondition(change('yellow', { key: 'k2', eventTs: T0 }))
  await first.service.act('D1', { type: 'dispatch', by: 'op1', assignee: 'B', deadline: T0 + 60 * MIN })
  await first.service.act('D2', { type: 'dispatch', by: 'op1', assignee: 'C', deadline: T0 + 60 * MIN })
  await first.service.act('D1', { type: 'close', by: 'op1', disposition: 'confirmed' })
  t.same(await first.at(10 * MIN), ['raised', 'raised', 'dispatched', 'dispatched', 'closed'])
  first.deadlines.close()
  await first.service.close()
  const second = await setup(t, writer)
  t.same(await second.at(60 * MIN - 1), [], 'rebuilt from storage, not yet due')
  t.same(await second.at(60 * MIN), ['verification_overdue'], 'only the one still dispatched')
  t.match((await second.service.get('D2')).alarm, { deadline: T0 + 60 * MIN, verificationOverdue: true })
})

t.test('deadlines - a red alarm not acknowledged is escalated every 5 min, up to the cap, until acknowledged', async (t) => {
  const { service, at } = await setup(t)
  await service.onCondition(change('red', { eventTs: T0 }))
  t.same(await at(0), ['raised'])
  t.same(await at(5 * MIN - 1), [], 'not before the deadline')
  t.same(await at(5 * MIN), ['response_overdue:1'])
  t.same(await at(10 * MIN), ['response_overdue:2'])
  await service.act('D1', { type: 'ack', by: 'op1' })
  t.same(await at(10 * MIN + 1), ['acknowledged:2'])
  t.same(await at(60 * MIN), [], 'the acknowledgment stopped the escalation')
  t.same(await at(24 * 60 * MIN), ['repair_overdue:2'], 'not closed within 24 h')
  const closed = await service.act('D1', { type: 'close', by: 'op1', disposition: 'confirmed' })
  t.equal(closed.alarm.overdue, true, 'the close is recorded as overdue')
})

t.test('deadlines - a deadline beyond the longest platform timer (2^31-1 ms, ~24.8 days) fires when due, not at once', async (t) => {
  const DAY = 24 * 60 * MIN
  const { service, at } = await setup(t, new FakeWriter(), { ...POLICY, repairMs: 60 * DAY, maxEscalations: 0 })
  await service.onCondition(change('blue', { eventTs: T0 }))
  t.same(await at(0), ['raised'])
  t.same(await at(MAX_TIMER_MS + 1), [], 'past the first wake-up: nothing')
  t.same(await at(60 * DAY - 1), [], 'not before the deadline')
  t.same(await at(60 * DAY), ['repair_overdue'], 'exactly at 60 days')
})

t.test('deadlines - a shelved alarm is not escalated, and its shelf ends by itself', async (t) => {
  const { service, at } = await setup(t)
  await service.onCondition(change('yellow', { eventTs: T0 }))
  await service.act('D1', { type: 'shelve', by: 'op1', reason: '标校', until: T0 + 45 * MIN })
  t.same(await at(44 * MIN), ['raised', 'shelved'], 'no escalation at 30 min while shelved')
  t.same(await at(45 * MIN), ['unshelved'])
  t.same(await at(45 * MIN + 30 * MIN), ['response_overdue:1'], 'the next deadline after the shelf')
})

t.test('deadlines - after a restart, what came due while down fires at once', async (t) => {
  const writer = new FakeWriter()
  const first = await setup(t, writer)
  await first.service.onCondition(change('red', { eventTs: T0 }))
  first.deadlines.close()
  await first.service.close()
  const second = await setup(t, writer)
  t.same(await second.at(0), [])
  t.equal(second.deadlines.pending(), 1, 'the open alarm has timers again')
  t.same(await second.at(6 * MIN), ['response_overdue:1'])
})
