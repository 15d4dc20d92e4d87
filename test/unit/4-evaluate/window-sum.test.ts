// The window_sum kind (src/4-evaluate/modules/accumulate): per-period amounts summed over sliding event-time
// windows, each window with threshold levels and hysteresis; the condition stands at the highest.
import t from 'tap'
import { ACCUMULATE } from '../../../src/4-evaluate/modules/accumulate/index.js'
import { windowSumIssues } from '../../../src/4-evaluate/modules/accumulate/spec.js'
import type { RuleSpec } from '../../../src/4-evaluate/rule-file.js'
import { point, site, testRegistry } from '../../helpers/registry.js'
import { def, harness, row } from './harness.js'

const MIN = 60_000
const HOUR = 60 * MIN
const RAIN = {
  id: 'tailings.rainfall',
  kind: 'window_sum',
  title: '暴雨预警',
  category: 'early_warning',
  source: 'test',
  match: { quantity: ['rainfall'] },
  windows: [
    { over: '24h', levels: { yellow: { at: 50, release: 40 }, orange: { at: 100, release: 90 } } },
    { over: '12h', levels: { yellow: { at: 30, release: 24 } } }
  ]
} as unknown as RuleSpec

function setup (): ReturnType<typeof harness> & { reg: ReturnType<typeof testRegistry> } {
  const reg = testRegistry([site('T1', 'tailings_pond')], [point('T1', 'RG-01', 'rainfall', { unit: 'mm', intervalS: 600, location: '雨量站' })])
  return { ...harness(reg, [RAIN], { modules: [ACCUMULATE], offlineCheckMs: HOUR }), reg }
}

const summary = (h: ReturnType<typeof harness>): Array<[string | null, number, number | null, number | null]> =>
  h.changes.map((c) => [c.level, c.eventTs / MIN, c.value, c.limit])

t.test('window sum - the 12 h window raises yellow, the 24 h window orange, and each releases as rain leaves it', async (t) => {
  const h = setup()
  // 6 mm every 10 minutes for 100 minutes: 30 mm at 40 min (12 h window), 60 mm at 90 min (yellow either way)
  for (let i = 0; i < 10; i++) h.read('T1', 'RG-01', i * 10 * MIN, 6)
  t.same(summary(h), [['yellow', 40, 30, 30]])
  t.equal(h.changes[0]?.message, 'RG-01（雨量站）降雨量 12 小时累计 30 mm ≥ 30 mm，黄色')
  h.read('T1', 'RG-01', 100 * MIN, 45)
  t.same(summary(h).slice(1), [['orange', 100, 105, 100]], '105 mm in 24 h')
  t.equal(h.changes[1]?.message, 'RG-01（雨量站）降雨量 24 小时累计 105 mm ≥ 100 mm，升级为橙色')
  // dry from here: the 24 h window loses 6 mm every 10 minutes from 24 h 10 min on
  for (let m = 110; m <= 26 * 60; m += 10) h.read('T1', 'RG-01', m * MIN, 0)
  t.same(summary(h).slice(2), [['yellow', 24 * 60 + 20, 87, 90], [null, 24 * 60 + 100, 0, 40]],
    'orange releases below 90, yellow below 40 (once the 45 mm of 1:40 has left); the 12 h window cleared silently under orange')
  t.equal(h.changes[2]?.message, 'RG-01（雨量站）降雨量 24 小时累计 87 mm < 90 mm，降为黄色')
  t.equal(h.changes[3]?.message, 'RG-01（雨量站）降雨量 24 小时累计 0 mm < 40 mm，已解除')
})

t.test('window sum - resent, out-of-order and calibration readings add nothing', async (t) => {
  const h = setup()
  h.engine.ingest([row('T1', 'RG-01', 0, 20), row('T1', 'RG-01', 10 * MIN, 9)])
  h.engine.ingest([row('T1', 'RG-01', 10 * MIN, 9), row('T1', 'RG-01', 5 * MIN, 9)])
  h.read('T1', 'RG-01', 20 * MIN, 30, 4)
  t.same(h.changes, [], '29 mm: the resend, the late reading and the calibration tip were not rain')
  h.read('T1', 'RG-01', 30 * MIN, 1)
  t.same(summary(h), [['yellow', 30, 30, 30]])
})

t.test('window sum - the sums survive a rule reload and a registry change', async (t) => {
  const h = setup()
  h.read('T1', 'RG-01', 0, 20)
  h.engine.setRules([def(RAIN)])
  h.reg.putPoint(point('T1', 'RG-01', 'rainfall', { unit: 'mm', intervalS: 600, location: '1# 雨量站' }))
  h.read('T1', 'RG-01', 10 * MIN, 10)
  t.same(summary(h), [['yellow', 10, 30, 30]])
  t.equal(h.changes[0]?.message, 'RG-01（1# 雨量站）降雨量 12 小时累计 30 mm ≥ 30 mm，黄色', 'the new definition, the old sum')
  t.match(h.engine.health()[0], { ruleId: 'tailings.rainfall', health: 'ok', evaluations: 2 })
})

t.test('window sum - a level restored from an open alarm comes down when the windows do not hold it', async (t) => {
  const h = setup()
  h.engine.seed([{ key: 'tailings.rainfall|T1|RG-01', level: 'yellow', eventTs: 10 * MIN }])
  h.engine.ingest([row('T1', 'RG-01', 0, 1), row('T1', 'RG-01', 10 * MIN, 1)])
  t.same(h.changes, [], 'readings replayed up to the alarm\'s last change rebuild the sums only')
  h.read('T1', 'RG-01', 20 * MIN, 2)
  t.same(summary(h), [[null, 20, 4, null]])
  t.equal(h.changes[0]?.message, 'RG-01（雨量站）降雨量 24 小时累计 4 mm，已解除')
})

t.test('window sum - rule checks: spans, one window per span, bands that go up', async (t) => {
  const base = '/groups/0/rules/0'
  t.same(windowSumIssues(def(RAIN), base), [])
  const bad = def({
    ...RAIN,
    windows: [
      { over: '32d', levels: { yellow: { at: 50, release: 50 } } },
      { over: '12h', levels: { yellow: { at: 30, release: 24 }, red: { at: 20, release: 10 } } },
      { over: '720m', levels: { blue: { at: 1, release: 0 } } }
    ]
  } as unknown as RuleSpec)
  t.same(windowSumIssues(bad, base).map((i) => [i.path, i.message]), [
    [`${base}/windows/0/over`, 'window 32d must be above 0 and at most 31d'],
    [`${base}/windows/0/levels/yellow/release`, 'release 50 must be below at 50 (upper)'],
    [`${base}/windows/1/levels/red/at`, 'at 20 must be above yellow\'s at 30 (upper)'],
    [`${base}/windows/2/over`, 'a second window of 720m']
  ])
})
