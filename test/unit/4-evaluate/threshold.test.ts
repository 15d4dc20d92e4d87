import t from 'tap'
import { newKeyState } from '../../../src/4-evaluate/compiled.js'
import { effectiveLevels } from '../../../src/4-evaluate/effective-levels.js'
import { stepThreshold, type ThresholdParams } from '../../../src/4-evaluate/steps/threshold.js'
import type { RuleSpec } from '../../../src/4-evaluate/rule-file.js'
import { point, site, testRegistry } from '../../helpers/registry.js'
import { CO, harness, summary } from './harness.js'
import { MemoryRegistry } from '../../../src/registry/memory.js'
import { toPoint } from '../../../src/registry/store.js'

const KEY = 'gas.co.limit|S1|CO-101'

function coHarness (limits?: Record<string, number>) {
  const reg = testRegistry([site('S1')], [point('S1', 'CO-101', 'co', { location: '-200m 主运输巷', limits })])
  return harness(reg, [CO])
}

t.test('engine - threshold raises only after the dwell, at event time', async (t) => {
  const h = coHarness()
  h.read('S1', 'CO-101', 0, 30)
  h.read('S1', 'CO-101', 5_000, 31)
  t.same(h.changes, [], 'pending, not firing, before `for` (10 s) has passed')
  h.read('S1', 'CO-101', 10_000, 31)
  t.same(summary(h.changes), [[KEY, 'yellow', 10_000]])
  const c = h.changes[0]
  t.equal(c?.message, 'CO-101（-200m 主运输巷）CO 31 ppm ≥ 24 ppm，黄色')
  t.equal(c?.limit, 24)
  t.equal(c?.value, 31)
  t.same(c?.points, ['CO-101'])
  t.equal(c?.rule.ruleId, 'gas.co.limit')
  t.same(c?.evidence, [{ point: 'CO-101', ts: 10_000, value: 31, status: 0 }])
})

t.test('engine - threshold dwell restarts when the value drops below every at', async (t) => {
  const h = coHarness()
  h.read('S1', 'CO-101', 0, 30)
  h.read('S1', 'CO-101', 5_000, 10)
  h.read('S1', 'CO-101', 12_000, 30)
  h.read('S1', 'CO-101', 20_000, 30)
  t.same(h.changes, [])
  h.read('S1', 'CO-101', 22_000, 30)
  t.same(summary(h.changes), [[KEY, 'yellow', 22_000]])
})

t.test('engine - threshold fires at the candidate current when the dwell ends', async (t) => {
  const h = coHarness()
  h.read('S1', 'CO-101', 0, 30)
  h.read('S1', 'CO-101', 10_000, 200)
  t.same(summary(h.changes), [[KEY, 'red', 10_000]])
  t.equal(h.changes[0]?.limit, 160)
})

t.test('engine - threshold escalates at once, then comes down only through the release band', async (t) => {
  const h = coHarness()
  h.read('S1', 'CO-101', 0, 30)
  h.read('S1', 'CO-101', 10_000, 30)
  h.read('S1', 'CO-101', 11_000, 170)
  t.same(summary(h.changes).slice(1), [[KEY, 'red', 11_000]], 'no dwell for escalation')
  h.read('S1', 'CO-101', 12_000, 150)
  t.equal(h.changes.length, 2, '150 is below red at 160 but above its release 140: still red')
  h.read('S1', 'CO-101', 13_000, 130)
  t.same(summary(h.changes).slice(2), [[KEY, 'yellow', 13_000]])
  t.equal(h.changes[2]?.limit, 24, 'limit of a de-escalation is the new level\'s at')
  t.match(h.changes[2]?.message, /CO 130 ppm < 140 ppm，降为黄色$/)
  h.read('S1', 'CO-101', 14_000, 21)
  t.equal(h.changes.length, 3, '21 is above yellow release 20: still yellow')
  h.read('S1', 'CO-101', 15_000, 19)
  t.same(summary(h.changes).slice(3), [[KEY, null, 15_000]])
  t.equal(h.changes[3]?.limit, 20, 'limit of a clear is the old level\'s release')
  t.match(h.changes[3]?.message, /CO 19 ppm < 20 ppm，已解除$/)
})

t.test('engine - threshold clears straight from red when the value falls below every release', async (t) => {
  const h = coHarness()
  h.read('S1', 'CO-101', 0, 200)
  h.read('S1', 'CO-101', 10_000, 200)
  h.read('S1', 'CO-101', 20_000, 5)
  t.same(summary(h.changes), [[KEY, 'red', 10_000], [KEY, null, 20_000]])
  t.equal(h.changes[1]?.limit, 140)
})

t.test('engine - threshold in the lower direction (O2)', async (t) => {
  const O2: RuleSpec = {
    id: 'gas.o2.low',
    kind: 'threshold',
    title: '氧气浓度过低',
    category: 'over_limit',
    source: 'test',
    match: { quantity: ['o2'] },
    direction: 'lower',
    levels: { yellow: { at: 20, release: 20.5 }, red: { at: 18, release: 18.5 } }
  }
  const reg = testRegistry([site('S1')], [point('S1', 'O2-1', 'o2')])
  const h = harness(reg, [O2])
  const key = 'gas.o2.low|S1|O2-1'
  h.read('S1', 'O2-1', 0, 20.9)
  h.read('S1', 'O2-1', 1_000, 19.8)
  h.read('S1', 'O2-1', 2_000, 17.5)
  h.read('S1', 'O2-1', 3_000, 18.2)
  h.read('S1', 'O2-1', 4_000, 19)
  h.read('S1', 'O2-1', 5_000, 20.4)
  h.read('S1', 'O2-1', 6_000, 20.6)
  t.same(summary(h.changes), [[key, 'yellow', 1_000], [key, 'red', 2_000], [key, 'yellow', 4_000], [key, null, 6_000]])
  t.equal(h.changes[0]?.message, 'O2-1 O2 19.8 % ≤ 20 %，黄色')
})

t.test('engine - point limits override the rule defaults, keeping the rule gap where a release is missing', async (t) => {
  const h = coHarness({ upperAlarm: 30, upperRelease: 25, red: 100 })
  h.read('S1', 'CO-101', 0, 28)
  h.read('S1', 'CO-101', 20_000, 28)
  t.same(h.changes, [], '28 is below the point\'s alarm 30')
  h.read('S1', 'CO-101', 40_000, 30)
  h.read('S1', 'CO-101', 60_000, 30)
  h.read('S1', 'CO-101', 61_000, 100)
  h.read('S1', 'CO-101', 62_000, 81)
  h.read('S1', 'CO-101', 63_000, 79)
  h.read('S1', 'CO-101', 64_000, 26)
  h.read('S1', 'CO-101', 65_000, 24)
  t.same(summary(h.changes), [
    [KEY, 'yellow', 60_000],
    [KEY, 'red', 61_000],
    [KEY, 'yellow', 63_000],
    [KEY, null, 65_000]
  ], 'red at 100 releases at 80 (rule gap 20); yellow releases at the point\'s 25')
})

t.test('engine - threshold step as a pure function', async (t) => {
  const p: ThresholdParams = { direction: 'upper', forMs: 0, levels: [{ level: 'yellow', at: 1, release: 0.9 }, { level: 'red', at: 1.5, release: 1 }] }
  const s = newKeyState()
  t.same(stepThreshold(p, s, 1.2, 0), { from: null, to: 'yellow', limit: 1, release: null, since: 0 })
  t.same(stepThreshold(p, s, 1.5, 1), { from: 'yellow', to: 'red', limit: 1.5, release: null })
  t.equal(stepThreshold(p, s, 1.0, 2), null, 'restore only below 1.0')
  t.same(stepThreshold(p, s, 0.95, 3), { from: 'red', to: 'yellow', limit: 1, release: 1 })
  t.same(stepThreshold(p, s, 0.5, 4), { from: 'yellow', to: null, limit: 0.9, release: 0.9 })
  t.throws(() => stepThreshold(p, s, Number.NaN, 5), /not a finite number/)
})

t.test('engine - effective levels take 报警/解报 and 断电/复电 from the point', async (t) => {
  const CH4 = {
    ...CO,
    id: 'gas.ch4.limit',
    levels: { yellow: { at: 1.0, release: 0.9 }, red: { at: 1.5, release: 1.0 } },
    alarmLevel: 'yellow' as const,
    cutLevel: 'red' as const
  }
  t.same(effectiveLevels(CH4, undefined), [{ level: 'yellow', at: 1, release: 0.9 }, { level: 'red', at: 1.5, release: 1 }])
  // a face return airway (T2): alarm = cut = restore = 1.0 %
  t.same(effectiveLevels(CH4, { upperAlarm: 1.0, upperCut: 1.0, upperRestore: 1.0 }), [
    { level: 'yellow', at: 1, release: 0.9 },
    { level: 'red', at: 1, release: 1 }
  ])
  t.same(effectiveLevels(CH4, { upperAlarm: 0.5, upperRelease: 0.7 })[0], { level: 'yellow', at: 0.5, release: 0.5 },
    'a release on the wrong side of at is clamped to at')
  const O2 = { ...CO, direction: 'lower' as const, levels: { yellow: { at: 20, release: 20.5 } } }
  t.same(effectiveLevels(O2, { lowerAlarm: 19.5, upperAlarm: 99 }), [{ level: 'yellow', at: 19.5, release: 20 }],
    'lower rules take lowerAlarm and keep the gap; upper limits do not apply')
})

t.test('engine - a raise after a dwell is dated from the first reading of the dwell', async (t) => {
  const p: ThresholdParams = { direction: 'upper', forMs: 2000, levels: [{ level: 'yellow', at: 24, release: 20 }] }
  const s = newKeyState()
  t.equal(stepThreshold(p, s, 30, 1000), null, 'pending')
  t.equal(stepThreshold(p, s, 31, 2000), null, 'still pending')
  t.same(stepThreshold(p, s, 32, 3000), { from: null, to: 'yellow', limit: 24, release: null, since: 1000 })
})

t.test('threshold - a point whose unit the catalogue does not accept is not judged by a rule in the canonical unit', async (t) => {
  const s1 = { code: 'S1', name: 'S1', kind: 'underground' as const, status: 'producing' as const, attributes: {}, updatedAt: 0, timeline: [] }
  const ppm = toPoint('S1', { pointCode: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 10 }, 0)
  const mg = toPoint('S1', { pointCode: 'CO-2', quantity: 'co', unit: 'mg/m³', kind: 'analog', intervalS: 10 }, 0)
  t.equal(mg.offCatalogue, true)
  const h = harness(new MemoryRegistry([s1], [ppm, mg]), [{ ...CO, for: '0s' }])
  h.read('S1', 'CO-1', 1000, 30)
  h.read('S1', 'CO-2', 1000, 30)
  t.same(h.changes.map((c) => [c.key, c.level]), [['gas.co.limit|S1|CO-1', 'yellow']], '30 mg/m³ is not 30 ppm: only the ppm point raises')
})
