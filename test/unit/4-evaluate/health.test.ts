import t from 'tap'
import type { RuleSpec } from '../../../src/4-evaluate/rule-file.js'
import { point, site, testRegistry } from '../../helpers/registry.js'
import { CO, def, harness, row, summary } from './harness.js'

const CO0 = { ...CO, for: '0s' } as RuleSpec
const FAULT: RuleSpec = { id: 'device.sensor_fault', kind: 'device_status', title: '传感器故障', category: 'fault', source: 'test', bits: [128], level: 'yellow' }

t.test('engine - a rule whose evaluation throws is marked err and the stream goes on', async (t) => {
  const reg = testRegistry([site('S1')], [point('S1', 'CO-1', 'co'), point('S1', 'CO-2', 'co')])
  const h = harness(reg, [CO0, FAULT])
  t.same(h.engine.health().map((r) => [r.ruleId, r.health]), [['device.sensor_fault', 'unknown'], ['gas.co.limit', 'unknown']])
  // a corrupt value (ingest should never pass NaN, but the engine must not trust that) in the middle of a batch
  h.engine.ingest([
    row('S1', 'CO-1', 0, Number.NaN),
    row('S1', 'CO-2', 0, 30),
    row('S1', 'CO-1', 20_000, 30)
  ])
  t.same(summary(h.changes), [['gas.co.limit|S1|CO-2', 'yellow', 0], ['gas.co.limit|S1|CO-1', 'yellow', 20_000]],
    'the readings after the failing one are still evaluated, and the failure changed nothing')
  t.match(h.engine.health().find((r) => r.ruleId === 'gas.co.limit'),
    { health: 'err', failures: 1, evaluations: 3, lastError: 'value NaN is not a finite number', lastErrorAt: 0 })
  t.match(h.engine.health().find((r) => r.ruleId === 'device.sensor_fault'), { health: 'ok', failures: 0, evaluations: 3 },
    'the other rule on the same reading is unaffected')
})

t.test('engine - health starts afresh when the rule changes, and survives when it does not', async (t) => {
  const reg = testRegistry([site('S1')], [point('S1', 'CO-1', 'co')])
  const h = harness(reg, [CO0, FAULT])
  h.read('S1', 'CO-1', 0, Number.NaN)
  t.equal(h.engine.health().find((r) => r.ruleId === 'gas.co.limit')?.health, 'err')
  h.engine.setRules([def(CO0), def(FAULT)])
  t.equal(h.engine.health().find((r) => r.ruleId === 'gas.co.limit')?.health, 'err', 'same version: kept')
  const changed = { ...CO0, title: 'CO 浓度超限' } as RuleSpec
  h.engine.setRules([def(changed)])
  t.same(h.engine.health().map((r) => [r.ruleId, r.health, r.failures]), [['gas.co.limit', 'unknown', 0]],
    'a new version starts unknown; removed rules are gone')
  h.read('S1', 'CO-1', 20_000, 30)
  t.equal(h.changes.at(-1)?.rule.title, 'CO 浓度超限')
  t.equal(h.engine.health()[0]?.health, 'ok')
})

t.test('engine - stop completes changes$ and ends the periodic check', async (t) => {
  const reg = testRegistry([site('S1')], [point('S1', 'CO-1', 'co')])
  const h = harness(reg, [{ id: 'nd', kind: 'no_data', title: '中断', category: 'fault', source: 'test', scope: 'point', missedPeriods: 3, level: 'yellow' }])
  let completed = false
  h.engine.changes$.subscribe({ complete: () => { completed = true } })
  h.engine.stop()
  t.ok(completed)
  h.advanceTo(600_000)
  t.same(h.changes, [])
  t.equal(h.scheduler.actions.length, 0, 'no timer left behind')
})
