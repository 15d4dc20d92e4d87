// planner - when notification jobs are planned, in virtual time over a hand-fed stream of transitions: the raise
// tells the person on duty, an escalation the next person, repeats follow the grid raisedAt + k × repeat while
// the alarm is open and not shelved, and a job planned twice has the same id (JetStream keeps one).
import t from 'tap'
import { Subject } from 'rxjs'
import { clockOf } from '../../../src/lib/clock.js'
import { silentLog } from '../../../src/lib/log.js'
import { advanceTo, createReplayScheduler } from '../../../src/lib/virtual-time.js'
import { createPlanner } from '../../../src/notify/planner.js'
import { nextRepeat } from '../../../src/notify/rounds.js'
import type { AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import type { Alarm } from '../../../src/5-alarm/types.js'
import type { NotifyJob, Roster } from '../../../src/notify/types.js'
import { alarm, T0 } from '../5-alarm/fixtures.js'

const MIN = 60_000
const roster: Roster = {
  timezone: 'Asia/Shanghai',
  shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '00:00', contacts: ['A', 'B', 'C'].map((name) => ({ name, channels: [{ kind: 'webhook' as const, url: `http://x/${name}` }] })) }]
}

function setup (t: { teardown: (fn: () => unknown) => void }, open: Alarm[] = [], r = roster) {
  const scheduler = createReplayScheduler(T0)
  const transitions$ = new Subject<AlarmTransitionRecord>()
  const jobs: NotifyJob[] = []
  const planner = createPlanner({
    alarms: { transitions$, list: async () => open, get: async (id) => ({ alarm: open.find((a) => a.alarmId === id) ?? alarm(), history: [], evidence: [], attachments: [] }) },
    rosters: { get: async (site) => site === 'SC-IRON' ? r : undefined },
    recorded: async () => new Set(),
    outbox: { enqueue: (j) => jobs.push(j) },
    scheduler,
    clock: clockOf(scheduler),
    repeatMs: 15 * MIN,
    log: silentLog
  })
  t.teardown(() => planner.close())
  let seq = 0
  const emit = async (transition: AlarmTransitionRecord['transition'], over: Partial<Alarm> = {}): Promise<void> => {
    seq++
    transitions$.next({ alarmId: 'A1', seq, transition, alarm: alarm({ seq, raisedAt: T0, ...over }), detectedAt: scheduler.now(), eventTs: scheduler.now(), late: false })
    await planner.idle()
  }
  const moveTo = async (ms: number): Promise<void> => { advanceTo(scheduler, T0 + ms); await planner.idle() }
  const told = (from = 0): string[] => jobs.slice(from).map((j) => `${j.reason}:${j.contact}:${j.step}`)
  return { planner, jobs, emit, moveTo, told }
}

t.test('planner - repeats lie on the grid of the raise', async (t) => {
  t.same(nextRepeat(T0, T0, 15 * MIN), { k: 1, at: T0 + 15 * MIN })
  t.same(nextRepeat(T0, T0 + 15 * MIN, 15 * MIN), { k: 2, at: T0 + 30 * MIN }, 'a repeat due now is the one after')
  t.same(nextRepeat(T0, T0 + 37 * MIN, 15 * MIN), { k: 3, at: T0 + 45 * MIN })
})

t.test('planner - raise, escalation and repeats until the acknowledgement', async (t) => {
  const p = setup(t)
  await p.planner.start()
  await p.emit('raised')
  t.same(p.told(), ['raised:A:0'], 'the raise tells the person on duty')
  await p.moveTo(5 * MIN)
  await p.emit('response_overdue', { escalation: 1 })
  t.same(p.told(1), ['escalation:A:0', 'escalation:B:1'], 'the escalation tells the next person and the person on duty again')
  await p.moveTo(15 * MIN)
  t.same(p.told(3), ['repeat:A:0', 'repeat:B:1'], 'the repeat tells everyone involved')
  t.match(p.jobs[3]?.id, `notify:A1:r1@${T0}:`, 'the first repeat')
  await p.emit('acknowledged', { escalation: 1, state: 'acknowledged' })
  t.equal(p.planner.repeating(), 0, 'no repeat timer after the acknowledgement')
  await p.moveTo(60 * MIN)
  t.equal(p.jobs.length, 5, 'nothing more')
  t.same(p.planner.planned(), { raised: 1, level_up: 0, escalation: 2, repeat: 2 })
})

t.test('planner - a shelf stops the repeats; its end tells the person on duty at once, then the grid resumes', async (t) => {
  const p = setup(t)
  await p.planner.start()
  await p.emit('raised')
  await p.emit('shelved', { shelf: { until: T0 + 40 * MIN, reason: '检修', by: 'op' } })
  await p.moveTo(40 * MIN)
  t.equal(p.jobs.length, 1, 'no repeat while shelved')
  await p.emit('unshelved')
  await p.moveTo(44 * MIN)
  t.same(p.told(1), ['raised:A:0'], 'the shelf ended with the alarm unacknowledged: told again at once')
  await p.moveTo(45 * MIN)
  t.same(p.told(2), ['repeat:A:0'])
  t.match(p.jobs[2]?.id, `notify:A1:r3@${T0}:`, 'the third repeat on the grid')
})

t.test('planner - a raise held by a maintenance window tells no one', async (t) => {
  const p = setup(t)
  await p.planner.start()
  await p.emit('raised', { shelf: { until: T0 + 60 * MIN, reason: 'M1：主扇检修', by: 'maintenance', maintenance: 'M1' } })
  await p.moveTo(30 * MIN)
  t.equal(p.jobs.length, 0, 'no round, no repeat while the window holds it')
})

t.test('planner - a restart plans the same repeat ids for the open alarms', async (t) => {
  const open = [alarm({ raisedAt: T0 })]
  const first = setup(t, open)
  await first.planner.start()
  await first.moveTo(15 * MIN)
  const second = setup(t, open)
  await second.planner.start()
  await second.moveTo(15 * MIN)
  t.ok(first.jobs.length > 0, 'a repeat after the restart')
  t.same(second.jobs.map((j) => j.id), first.jobs.map((j) => j.id), 'the same Nats-Msg-Ids')
})

t.test('planner - a site without a roster tells nobody', async (t) => {
  const p = setup(t)
  await p.planner.start()
  await p.emit('raised', { siteCode: 'NO-ROSTER' })
  t.equal(p.jobs.length, 0)
})

t.test('planner - a higher level reaches a contact whose filter left the lower one out', async (t) => {
  const redOnly: Roster = {
    timezone: 'Asia/Shanghai',
    shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '00:00', contacts: [{ name: '红色专线', levels: ['red'], channels: [{ kind: 'webhook', url: 'http://x/red' }] }, { name: 'A', channels: [{ kind: 'webhook', url: 'http://x/A' }] }] }]
  }
  const p = setup(t, [], redOnly)
  await p.planner.start()
  await p.emit('raised', { level: 'yellow' })
  t.same(p.told(), ['raised:A:0'], 'a yellow alarm skips the red-only contact')
  await p.emit('escalated', { level: 'red' })
  t.same(p.told(1), ['level_up:红色专线:0'], 'at red, the red-only contact is on duty')
})
