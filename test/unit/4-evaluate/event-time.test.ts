import t from 'tap'
import type { RuleSpec } from '../../../src/4-evaluate/rule-file.js'
import { point, site, testRegistry } from '../../helpers/registry.js'
import { CO, harness, row, summary } from './harness.js'

const KEY = 'gas.co.limit|S1|CO-101'
const CO0 = { ...CO, for: '0s' } as RuleSpec

function setup (rules: RuleSpec[] = [CO0], opts = {}) {
  return harness(testRegistry([site('S1')], [point('S1', 'CO-101', 'co')]), rules, opts)
}

t.test('engine - a resend raises nothing new and counts as out of order', async (t) => {
  const h = setup()
  h.read('S1', 'CO-101', 0, 30)
  h.read('S1', 'CO-101', 20_000, 10)
  t.same(summary(h.changes), [[KEY, 'yellow', 0], [KEY, null, 20_000]])
  h.read('S1', 'CO-101', 0, 30)
  h.read('S1', 'CO-101', 20_000, 10)
  t.equal(h.changes.length, 2, 'resending both readings changes nothing')
  t.equal(h.engine.stats().outOfOrder, 2)
  t.equal(h.engine.stats().evaluations, 2)
})

t.test('engine - an out-of-order reading older than the last one is skipped', async (t) => {
  const h = setup()
  h.read('S1', 'CO-101', 40_000, 5)
  h.read('S1', 'CO-101', 20_000, 300)
  t.same(h.changes, [], 'a reading from before the last evaluated one does not raise')
  t.equal(h.engine.stats().outOfOrder, 1)
})

t.test('engine - within a batch, readings are evaluated in event-time order', async (t) => {
  const h = setup([CO])
  h.engine.ingest([
    row('S1', 'CO-101', 20_000, 40),
    row('S1', 'CO-101', 0, 30),
    row('S1', 'CO-101', 10_000, 35)
  ])
  t.same(summary(h.changes), [[KEY, 'yellow', 10_000]], 'dwell from 0, fired at 10 s, not reordered into a skip')
  t.equal(h.engine.stats().outOfOrder, 0)
  t.equal(h.changes[0]?.value, 35)
})

t.test('engine - a change decided from old data is marked late', async (t) => {
  const h = setup([CO0], { start: 500_000, lateAfterMs: 60_000 })
  h.read('S1', 'CO-101', 400_000, 30)
  h.read('S1', 'CO-101', 450_000, 10)
  h.read('S1', 'CO-101', 499_000, 30)
  t.same(h.changes.map((c) => [c.level, c.eventTs, c.late]), [
    ['yellow', 400_000, true],
    [null, 450_000, false],
    ['yellow', 499_000, false]
  ], '100 s old is late, 50 s old is not (lateAfterMs 60 s)')
})

t.test('engine - seeded states skip replayed readings up to the alarm and keep its level', async (t) => {
  const h = setup()
  h.engine.seed([{ key: KEY, level: 'yellow', eventTs: 100_000 }])
  h.read('S1', 'CO-101', 50_000, 5)
  h.read('S1', 'CO-101', 100_000, 5)
  t.same(h.changes, [], 'replayed readings up to the alarm\'s eventTs are skipped')
  t.equal(h.engine.stats().outOfOrder, 2)
  h.read('S1', 'CO-101', 120_000, 200)
  h.read('S1', 'CO-101', 140_000, 5)
  t.same(summary(h.changes), [[KEY, 'red', 120_000], [KEY, null, 140_000]], 'escalates from the seeded yellow')
})

t.test('engine - a registry change recompiles and keeps the state of unchanged keys', async (t) => {
  const reg = testRegistry([site('S1')], [point('S1', 'CO-101', 'co')])
  const h = harness(reg, [CO0])
  h.read('S1', 'CO-101', 0, 30)
  reg.putPoint(point('S1', 'CO-101', 'co', { limits: { upperAlarm: 50, upperRelease: 40 } }))
  h.read('S1', 'CO-101', 20_000, 45)
  t.equal(h.changes.length, 1, 'still yellow: 45 is above the new release 40')
  h.read('S1', 'CO-101', 40_000, 35)
  t.same(summary(h.changes), [[KEY, 'yellow', 0], [KEY, null, 40_000]])
})
