// restore - what a restart plans again, in virtual time: the rounds of the current occurrence of an open alarm
// and the latest repeat due, with the ids a live planner gave them, minus the jobs recorded; the repeats go on
// on the grid of the raise; a roster that cannot be read is read again until it can.
import t from 'tap'
import { Subject } from 'rxjs'
import { clockOf } from '../../../src/lib/clock.js'
import { silentLog } from '../../../src/lib/log.js'
import { advanceTo, createReplayScheduler } from '../../../src/lib/virtual-time.js'
import { createPlanner } from '../../../src/notify/planner.js'
import { roundsToRestore } from '../../../src/notify/rounds.js'
import type { Alarm, AlarmTransitionRecord } from '../../../src/5-alarm/types.js'
import type { NotifyJob, Roster } from '../../../src/notify/types.js'
import { alarm, T0 } from '../5-alarm/fixtures.js'

const MIN = 60_000
const REPEAT = 15 * MIN
const roster: Roster = {
  timezone: 'Asia/Shanghai',
  shifts: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '00:00', contacts: ['A', 'B'].map((name) => ({ name, channels: [{ kind: 'webhook' as const, url: `http://x/${name}` }] })) }]
}

/** history builds an alarm's transitions: [name, minutes after T0, alarm fields after it] */
function history (...steps: Array<[AlarmTransitionRecord['transition'], number, Partial<Alarm>?]>): AlarmTransitionRecord[] {
  let a = alarm({ raisedAt: T0, seq: 0 })
  return steps.map(([transition, min, over], i) => {
    a = { ...a, ...over, seq: i + 1, detectedAt: T0 + min * MIN }
    return { alarmId: a.alarmId, seq: a.seq, transition, alarm: a, detectedAt: a.detectedAt, eventTs: a.detectedAt, late: false }
  })
}

const summary = (rounds: ReturnType<typeof roundsToRestore>): string[] => rounds.map((r) => `${r.reason}:${r.tag}:${r.step}:${(r.at - T0) / MIN}`)

t.test('restore - the rounds of the current occurrence and the latest repeat due', async (t) => {
  const h = history(['raised', 0], ['response_overdue', 5, { escalation: 1 }])
  t.same(summary(roundsToRestore(h, T0 + 37 * MIN, REPEAT)), ['raised:s1:0:0', 'escalation:s2:1:5', `repeat:r2@${T0}:1:30`],
    'each transition at its own time, and only the latest repeat, as the alarm stood then')
  t.same(summary(roundsToRestore(h, T0 + 14 * MIN, REPEAT)), ['raised:s1:0:0', 'escalation:s2:1:5'], 'no repeat before the first on the grid')
  t.same(summary(roundsToRestore(h, T0 + 37 * MIN, 0)), ['raised:s1:0:0', 'escalation:s2:1:5'], 'no repeats configured')
  const reraised = history(['raised', 0], ['cleared', 3], ['raised', 20, { raisedAt: T0 + 20 * MIN, escalation: 0 }])
  t.same(summary(roundsToRestore(reraised, T0 + 37 * MIN, REPEAT)), ['raised:s3:0:20', `repeat:r1@${T0 + 20 * MIN}:0:35`], 'a re-raise starts the occurrence and its grid again')
  const shelved = history(['raised', 0], ['shelved', 10, { shelf: { until: T0 + 40 * MIN, reason: '检修', by: 'op' } }], ['unshelved', 40, { shelf: null }])
  t.same(summary(roundsToRestore(shelved, T0 + 44 * MIN, REPEAT)), ['raised:s1:0:0', 'raised:s3:0:40'], 'a repeat that fell in a shelf is not owed; the shelf\'s end is')
  t.same(roundsToRestore([], T0, REPEAT), [], 'no history, nothing to plan')
})

t.test('restore - a shelved alarm tells no one; its shelf ending while unacknowledged tells the people on duty', async (t) => {
  const shelf = { until: T0 + 60 * MIN, reason: 'M1：主扇检修', by: 'maintenance', maintenance: 'M1' }
  const held = history(['raised', 0, { shelf }], ['escalated', 5, { shelf, level: 'red' }], ['unshelved', 31, { shelf: null }])
  t.same(summary(roundsToRestore(held, T0 + 32 * MIN, REPEAT)), ['raised:s3:0:31'], 'a raise and a level-up held by a maintenance window tell no one; the window ending does')
  const acked = history(['raised', 0], ['acknowledged', 2, { state: 'acknowledged' }], ['shelved', 3, { shelf, state: 'acknowledged' }], ['unshelved', 20, { shelf: null, state: 'acknowledged' }])
  t.same(summary(roundsToRestore(acked, T0 + 21 * MIN, REPEAT)), ['raised:s1:0:0'], 'an acknowledged alarm coming off its shelf tells no one again')
  const lapsed = history(['raised', 0, { shelf: { ...shelf, until: T0 - 1 } }])
  t.same(summary(roundsToRestore(lapsed, T0 + MIN, REPEAT)), ['raised:s1:0:0'], 'a shelf already over at the transition does not hold it')
})

interface Opts { recorded?: Set<string>, rosterGet?: () => Promise<Roster>, listed?: Alarm[] }

/** setup starts a planner at `at` over one alarm whose history is `open` (none when empty) */
function setup (t: { teardown: (fn: () => unknown) => void }, at: number, open: AlarmTransitionRecord[], x: Opts = {}) {
  const scheduler = createReplayScheduler(at)
  const transitions$ = new Subject<AlarmTransitionRecord>()
  const jobs: NotifyJob[] = []
  const last = open.at(-1)
  const recorded = x.recorded ?? new Set()
  const planner = createPlanner({
    alarms: {
      transitions$,
      list: async () => x.listed ?? (last === undefined ? [] : [last.alarm]),
      get: async () => ({ alarm: last?.alarm ?? alarm(), history: open, evidence: [], attachments: [] })
    },
    rosters: { get: x.rosterGet ?? (async () => roster) },
    recorded: async () => recorded,
    outbox: { enqueue: (j) => jobs.push(j) },
    scheduler,
    clock: clockOf(scheduler),
    repeatMs: REPEAT,
    log: silentLog
  })
  t.teardown(() => planner.close())
  const moveTo = async (ms: number): Promise<void> => { advanceTo(scheduler, T0 + ms); await planner.idle() }
  return { planner, jobs, transitions$, moveTo, scheduler }
}

t.test('restore - a restart plans what a live planner planned, under the same ids, minus what was recorded', async (t) => {
  const h = history(['raised', 0], ['response_overdue', 5, { escalation: 1 }])
  const live = setup(t, T0, [])
  await live.planner.start()
  live.transitions$.next(h[0] as AlarmTransitionRecord)
  await live.moveTo(5 * MIN)
  live.transitions$.next(h[1] as AlarmTransitionRecord)
  await live.moveTo(15 * MIN)
  const ids = live.jobs.map((j) => j.id)
  t.equal(ids.length, 5, 'raise: A; escalation: A and B; first repeat: A and B')

  const lostAll = setup(t, T0 + 16 * MIN, h)
  await lostAll.planner.start()
  await lostAll.planner.idle()
  t.same(lostAll.jobs.map((j) => j.id), ids, 'nothing recorded (the outbox lost it all): everything again, the same ids')
  t.same(lostAll.jobs.map((j) => j.plannedAt), live.jobs.map((j) => j.plannedAt), 'each at the moment it stands for')

  // the escalation was decided before the planner subscribed (a deadline fired at start): the history has it
  const delivered = setup(t, T0 + 16 * MIN, h, { recorded: new Set(ids.filter((id) => !id.includes(':s2:'))) })
  await delivered.planner.start()
  await delivered.planner.idle()
  t.same(delivered.jobs.map((j) => `${j.reason}:${j.contact}`), ['escalation:A', 'escalation:B'], 'only the jobs without a record')
  t.equal(delivered.planner.repeating(), 1, 'the repeats are re-armed')
  await delivered.moveTo(30 * MIN)
  t.same(delivered.jobs.slice(2).map((j) => `${j.reason}:${j.contact}:${j.id.split(':')[2] ?? ''}`), [`repeat:A:r2@${T0}`, `repeat:B:r2@${T0}`], 'the next repeat on the grid')
})

t.test('restore - an acknowledged alarm is owed nothing', async (t) => {
  const h = history(['raised', 0], ['acknowledged', 2, { state: 'acknowledged' }])
  const p = setup(t, T0 + 40 * MIN, h)
  await p.planner.start()
  await p.moveTo(90 * MIN)
  t.same(p.jobs, [], 'no round, no repeat')
  const stale = setup(t, T0 + 40 * MIN, h, { listed: [(h[0] as AlarmTransitionRecord).alarm] })
  await stale.planner.start()
  await stale.moveTo(90 * MIN)
  t.same(stale.jobs, [], 'nor when acknowledged after it was listed at start')
  t.equal(stale.planner.repeating(), 0)
})

t.test('restore - a roster that cannot be read is read again; close gives the round up', async (t) => {
  let fails = 2
  const flaky = async (): Promise<Roster> => { if (fails-- > 0) throw new Error('TIMEOUT'); return roster }
  const p = setup(t, T0, [], { rosterGet: flaky })
  await p.planner.start()
  // idle() would wait for the retry, which waits for virtual time: let the promises settle instead
  const settle = async (): Promise<void> => await new Promise((resolve) => setImmediate(resolve))
  p.transitions$.next(history(['raised', 0])[0] as AlarmTransitionRecord)
  await settle()
  t.same(p.jobs, [], 'not yet: the roster read failed')
  for (let ms = 200; ms <= 2000; ms += 200) { advanceTo(p.scheduler, T0 + ms); await settle() }
  t.same(p.jobs.map((j) => `${j.reason}:${j.contact}`), ['raised:A'], 'planned once the roster is read')

  fails = 100
  p.transitions$.next(history(['raised', 0], ['response_overdue', 5, { escalation: 1 }])[1] as AlarmTransitionRecord)
  p.planner.close()
  await p.planner.idle()
  t.equal(p.jobs.length, 1, 'given up at close (the next start plans it again)')
})
