import t from 'tap'
import { Subject } from 'rxjs'
import type { TransitionName } from '../../../../src/contract/index.js'
import type { Alarm, AlarmTransitionRecord } from '../../../../src/5-alarm/types.js'
import { ManualClock } from '../../../../src/lib/clock.js'
import { DEFAULT_RISK_PARAMS } from '../../../../src/5-alarm/risk/score.js'
import { createRiskService, type Published } from '../../../../src/5-alarm/risk/service.js'
import type { RiskChange } from '../../../../src/5-alarm/risk/types.js'
import { alarm, T0 } from '../fixtures.js'
import type { Log } from '../../../../src/lib/log.js'

const silent: Log = { debug () {}, info () {}, warn () {}, error () {} }

// A risk service over a hand-fed alarm source: `open` is what list() returns at start, `emit` stores a transition.
function setup (open: Alarm[] = [], opts: { step?: number, listed?: () => void } = {}) {
  const transitions$ = new Subject<AlarmTransitionRecord>()
  const clock = new ManualClock(T0)
  const published: RiskChange[] = []
  // the engine's roll-up rule ids; a test may replace them, as a rule reload does
  const rules = { rollups: new Set<string>(['tailings.rollup.item', 'tailings.rollup.site']) as ReadonlySet<string> }
  const service = createRiskService({
    alarms: {
      transitions$,
      list: async () => { opts.listed?.(); return open }
    },
    publish: (c) => { published.push(c) },
    clock,
    params: DEFAULT_RISK_PARAMS,
    step: opts.step ?? 5,
    log: silent,
    rollupRules: () => rules.rollups
  })
  const emit = (a: Alarm, transition: TransitionName = 'raised'): void => {
    transitions$.next({ alarmId: a.alarmId, seq: a.seq, transition, alarm: a, detectedAt: clock.now(), eventTs: clock.now(), late: false })
  }
  return { service, transitions$, clock, published, emit, rules }
}

const co = (over: Partial<Alarm> = {}): Alarm => alarm({ alarmId: 'CO1', key: 'gas.co.limit|S1|CO-1', siteCode: 'S1', ...over })
const offline = (over: Partial<Alarm> = {}): Alarm => alarm({
  alarmId: 'OFF1', key: 'connectivity.point.no_data|S1|CO-2', ruleId: 'connectivity.point.no_data', category: 'fault', siteCode: 'S1', points: ['CO-2'], ...over
})
const levels = (cs: RiskChange[]) => cs.map((c) => [c.siteCode, c.level, c.score])

t.test('risk service - every transition recomputes the site, and level changes are published in order', async (t) => {
  const { service, published, emit, clock } = setup()
  await service.start()
  t.same(published, [], 'nothing open, nothing published')
  clock.advance(1000)
  emit(co())
  clock.advance(1000)
  emit(offline())
  t.same(levels(published), [['S1', 'yellow', 10], ['S1', 'orange', 23.7]])
  t.match(published[1], {
    previousLevel: 'yellow',
    previousScore: 10,
    changedAt: T0 + 2000,
    cause: { alarmId: 'OFF1', seq: 1, transition: 'raised' },
    multiSource: true,
    domains: ['gas', 'monitoring'],
    openAlarms: 2
  })
  t.ok((published[1]?.seq ?? 0) > (published[0]?.seq ?? 0), 'seq grows')
  t.ok((published[0]?.seq ?? 0) >= T0 + 1000, 'seq is never below the clock')
  t.match(service.site('S1'), { level: 'orange', score: 23.7, seq: published[1]?.seq, computedAt: T0 + 2000 })
  t.same(service.sites().map((s) => s.siteCode), ['S1'])

  emit(offline({ seq: 2, active: false }), 'cleared')
  emit(co({ seq: 2, active: false }), 'cleared')
  emit(offline({ seq: 3, active: false, state: 'closed' }), 'closed')
  emit(co({ seq: 3, active: false, state: 'closed' }), 'closed')
  t.same(levels(published).slice(2), [['S1', 'yellow', 12.7], ['S1', 'blue', 5.9], ['S1', null, 0]], 'cleared alarms lower the level (closing one of two: 5.9 → 3, under the step); closing the last one ends it')
  t.match(published.at(-1), { previousLevel: 'blue', floor: null, contributors: [], openAlarms: 0, cause: { alarmId: 'CO1', seq: 3, transition: 'closed' } })
  t.same(service.sites(), [], 'a site without open alarms is not listed')
  t.match(service.site('S1'), { level: null, score: 0 }, 'but still answers')
})

t.test('risk service - a score move smaller than the step is not published', async (t) => {
  const { service, published, emit } = setup([], { step: 5 })
  await service.start()
  emit(alarm({ alarmId: 'A', ruleId: 'gas.a', siteCode: 'S1' }))
  emit(alarm({ alarmId: 'B', ruleId: 'gas.b', siteCode: 'S1' }))
  t.same(levels(published), [['S1', 'yellow', 10], ['S1', 'yellow', 19]], 'yellow 10 → 19 moves 9 points: published')
  emit(alarm({ alarmId: 'B', ruleId: 'gas.b', siteCode: 'S1', seq: 2, state: 'acknowledged' }), 'acknowledged')
  t.equal(published.length, 2, '19 → 17.2 moves less than 5 points: not published')
  t.equal(service.site('S1')?.score, 17.2, 'but GET shows it')
  emit(alarm({ alarmId: 'A', ruleId: 'gas.a', siteCode: 'S1', seq: 2, state: 'acknowledged' }), 'acknowledged')
  t.equal(published.length, 2, '15.4 is 3.6 below the last published 19: still not published')
  emit(alarm({ alarmId: 'A', ruleId: 'gas.a', siteCode: 'S1', seq: 3, state: 'dispatched' }), 'dispatched')
  t.same(levels(published).slice(2), [['S1', 'yellow', 13.5]], '13.5 is 5.5 below 19: published')
  t.match(published[2], { previousScore: 19, previousLevel: 'yellow' })
})

t.test('risk service - the step is measured from the last published score', async (t) => {
  const { service, published, emit } = setup([], { step: 3 })
  await service.start()
  emit(alarm({ alarmId: 'A', ruleId: 'gas.a', siteCode: 'S1' }))
  emit(alarm({ alarmId: 'B', ruleId: 'gas.b', siteCode: 'S1' }))
  emit(alarm({ alarmId: 'B', ruleId: 'gas.b', siteCode: 'S1', seq: 2, state: 'acknowledged' }), 'acknowledged')
  emit(alarm({ alarmId: 'A', ruleId: 'gas.a', siteCode: 'S1', seq: 2, state: 'acknowledged' }), 'acknowledged')
  t.same(levels(published), [['S1', 'yellow', 10], ['S1', 'yellow', 19], ['S1', 'yellow', 15.4]],
    '19 → 17.2 (1.8) is held back, 17.2 → 15.4 makes 3.6 since 19: published')
})

t.test('risk service - sites are independent', async (t) => {
  const { service, published, emit } = setup()
  await service.start()
  emit(co())
  emit(alarm({ alarmId: 'X', siteCode: 'S2', level: 'red' }))
  t.same(levels(published), [['S1', 'yellow', 10], ['S2', 'red', 50]])
  t.same(service.sites().map((s) => [s.siteCode, s.level]).sort(), [['S1', 'yellow'], ['S2', 'red']])
})

t.test('risk service - start rebuilds from the open alarms and publishes each site with a level', async (t) => {
  const { service, published } = setup([co(), offline(), alarm({ alarmId: 'X', siteCode: 'S2', level: 'blue' })])
  await service.start()
  t.same(levels(published).sort(), [['S1', 'orange', 23.7], ['S2', 'blue', 3]])
  t.ok(published.every((c) => c.cause === null && c.previousLevel === null), 'a rebuilt change has no cause')
})

t.test('risk service - start reconciles with what each site published before', async (t) => {
  const { service, published } = setup([co(), alarm({ alarmId: 'X', siteCode: 'S2', level: 'red' })])
  const before = new Map<string, Published>([
    ['S1', { seq: T0 + 500_000, level: 'yellow', score: 10 }], // unchanged: nothing to say
    ['S2', { seq: T0 - 10, level: 'orange', score: 27 }], // changed while down
    ['S3', { seq: T0 + 700_000, level: 'red', score: 50 }] // its alarms were closed meanwhile
  ])
  await service.start(before)
  t.same(levels(published).sort(), [['S2', 'red', 50], ['S3', null, 0]])
  t.match(published.find((c) => c.siteCode === 'S3'), { previousLevel: 'red', previousScore: 50, seq: T0 + 700_001 }, 'seq continues from the stream')
  t.match(published.find((c) => c.siteCode === 'S2'), { previousLevel: 'orange', seq: T0 }, 'seq is never below the clock')
  t.match(service.site('S1'), { level: 'yellow', seq: T0 + 500_000 })
})

t.test('risk service - the hysteresis continues from the level published before a restart', async (t) => {
  const acked = offline({ seq: 2, state: 'acknowledged' })
  const restart = setup([co(), acked])
  await restart.service.start(new Map([['S1', { seq: T0, level: 'orange', score: 23.7 }]]))
  t.match(restart.service.site('S1'), { level: 'orange', score: 21.5 }, '21.5 holds orange (released below 19)')
  t.same(restart.published, [], 'and within the step: nothing published')
  const fresh = setup([co(), acked])
  await fresh.service.start()
  t.same(levels(fresh.published), [['S1', 'yellow', 21.5]], 'without a previous orange the same score is yellow')
})

t.test('risk service - transitions stored while the snapshot is read are applied after it, newest seq wins', async (t) => {
  // The callback below runs inside start(), after setup() has returned.
  const late: { emit?: ReturnType<typeof setup>['emit'] } = {}
  const s = setup([co({ seq: 1 })], {
    // While list() runs, the alarm is cleared (seq 2) and an older record (seq 1) arrives again.
    listed: () => {
      late.emit?.(co({ seq: 2, active: false }), 'cleared')
      late.emit?.(co({ seq: 1 }), 'raised')
    }
  })
  late.emit = s.emit
  await s.service.start()
  t.match(s.service.site('S1'), { level: 'blue', score: 3, contributors: [{ alarmId: 'CO1', active: false }] }, 'the cleared state (seq 2) is kept')
  t.same(levels(s.published), [['S1', 'yellow', 10], ['S1', 'blue', 3]])
  s.emit(co({ seq: 2, active: false }), 'cleared')
  t.equal(s.published.length, 2, 'a repeated record changes nothing')
})

t.test('risk service - roll-up alarms of the loaded rule set only set a floor, read at every computation', async (t) => {
  const { service, published, emit, rules } = setup()
  await service.start()
  const tailings = (alarmId: string, ruleId: string, subject: string, level: Alarm['level'], seq = 1): Alarm => alarm({
    alarmId, key: `${ruleId}|T1|${subject}`, ruleId, siteCode: 'T1', level, seq, category: ruleId.includes('rollup') ? 'early_warning' : 'over_limit'
  })
  emit(tailings('P1', 'tailings.phreatic.depth', 'ZK-1', 'orange'))
  emit(tailings('I1', 'tailings.rollup.item', 'item:浸润线', 'orange'))
  emit(tailings('S1', 'tailings.rollup.site', '*', 'orange'))
  t.match(service.site('T1'), { level: 'orange', score: 27, openAlarms: 3, floor: 'orange', contributors: [{ alarmId: 'P1' }] },
    'one orange phreatic point and its two roll-ups: orange 27, not red 55.1')
  t.equal(service.site('T1')?.contributors.length, 1, 'the roll-ups add no contributor')
  emit(tailings('P2', 'tailings.phreatic.depth', 'ZK-2', 'orange'))
  emit(tailings('I1', 'tailings.rollup.item', 'item:浸润线', 'red', 2), 'escalated')
  emit(tailings('S1', 'tailings.rollup.site', '*', 'red', 2), 'escalated')
  t.match(service.site('T1'), { level: 'red', score: 45, floor: 'red' }, 'two orange points of one item: the item roll-up is red, so the site is red')
  t.same(levels(published), [['T1', 'orange', 27], ['T1', 'orange', 36.9], ['T1', 'red', 45]], 'the second point moves the score by ≥ 5, the item roll-up makes it red')
  rules.rollups = new Set()
  emit(tailings('P3', 'tailings.phreatic.depth', 'ZK-3', 'blue'))
  t.ok((service.site('T1')?.score ?? 0) > 45, 'after a reload without roll-up rules their alarms count as ordinary alarms again')
})

t.test('risk service - a failure while scoring is logged, not thrown at the alarm service', async (t) => {
  const errors: unknown[] = []
  const transitions$ = new Subject<AlarmTransitionRecord>()
  const service = createRiskService({
    alarms: { transitions$, list: async () => [] },
    publish: () => { throw new Error('outbox bug') },
    clock: new ManualClock(T0),
    params: DEFAULT_RISK_PARAMS,
    step: 5,
    log: { ...silent, error: (obj) => { errors.push(obj) } },
    rollupRules: () => new Set()
  })
  await service.start()
  const a = co()
  t.doesNotThrow(() => transitions$.next({ alarmId: a.alarmId, seq: 1, transition: 'raised', alarm: a, detectedAt: T0, eventTs: T0, late: false }))
  t.match(errors, [{ alarmId: 'CO1', seq: 1 }])
  service.close()
  t.equal(transitions$.observed, false, 'close unsubscribes')
})
