import t from 'tap'
import { STATUS } from '../../../src/contract/index.js'
import type { RuleSpec } from '../../../src/4-evaluate/rule-file.js'
import { point, site, testRegistry } from '../../helpers/registry.js'
import { CO, harness, summary } from './harness.js'

const device = (id: string, bits: number[], level: 'blue' | 'yellow', title: string): RuleSpec =>
  ({ id, kind: 'device_status', title, category: 'fault', source: 'test', bits, level })

const RULES: RuleSpec[] = [
  { ...CO, for: '0s' } as RuleSpec,
  device('device.sensor_fault', [STATUS.SENSOR_FAULT, STATUS.SUBSTATION_FAULT], 'yellow', '传感器故障'),
  device('device.over_range', [STATUS.OVER_RANGE], 'yellow', '超量程'),
  device('device.calibration', [STATUS.CALIBRATION], 'blue', '传感器标校')
]
const CO_KEY = 'gas.co.limit|S1|CO-101'

function setup () {
  const reg = testRegistry([site('S1')], [point('S1', 'CO-101', 'co', { range: [0, 1000] })])
  return harness(reg, RULES)
}

t.test('engine - calibration keeps threshold rules off the reading and raises a blue fault', async (t) => {
  const h = setup()
  h.read('S1', 'CO-101', 0, 500, STATUS.CALIBRATION)
  t.same(summary(h.changes), [['device.calibration|S1|CO-101', 'blue', 0]], 'calibration gas raises no CO alarm')
  t.match(h.changes[0]?.message, /传感器标校：状态 标校，蓝色/)
  h.read('S1', 'CO-101', 20_000, 5)
  t.same(summary(h.changes).slice(1), [['device.calibration|S1|CO-101', null, 20_000]])
  t.equal(h.engine.stats().evaluations, 2 * 4 - 1, '2 readings × 4 rules, less the gated threshold evaluation')
})

t.test('engine - a suppressed reading neither escalates nor clears an open alarm', async (t) => {
  const h = setup()
  h.read('S1', 'CO-101', 0, 30)
  h.read('S1', 'CO-101', 20_000, 900, STATUS.CALIBRATION)
  h.read('S1', 'CO-101', 40_000, 0, STATUS.PAUSED)
  h.read('S1', 'CO-101', 60_000, 0, STATUS.NOT_POLLED)
  const co = h.changes.filter((c) => c.key === CO_KEY)
  t.same(summary(co), [[CO_KEY, 'yellow', 0]], 'the CO alarm stays yellow through calibration, pause and not-polled')
  h.read('S1', 'CO-101', 80_000, 0)
  t.same(summary(h.changes.filter((c) => c.key === CO_KEY)).slice(1), [[CO_KEY, null, 80_000]])
})

t.test('engine - a calibration restarts a pending dwell', async (t) => {
  const reg = testRegistry([site('S1')], [point('S1', 'CO-101', 'co')])
  const h = harness(reg, [CO])
  h.read('S1', 'CO-101', 0, 30)
  h.read('S1', 'CO-101', 5_000, 30, STATUS.CALIBRATION)
  h.read('S1', 'CO-101', 12_000, 30)
  t.same(h.changes, [], 'the dwell counts from 12 s again')
  h.read('S1', 'CO-101', 22_000, 30)
  t.same(summary(h.changes), [[CO_KEY, 'yellow', 22_000]])
})

t.test('engine - sensor and substation faults raise the fault rule and suppress thresholds', async (t) => {
  const h = setup()
  h.read('S1', 'CO-101', 0, 999, STATUS.SENSOR_FAULT)
  h.read('S1', 'CO-101', 20_000, 999, STATUS.SUBSTATION_FAULT)
  h.read('S1', 'CO-101', 40_000, 3)
  t.same(summary(h.changes), [
    ['device.sensor_fault|S1|CO-101', 'yellow', 0],
    ['device.sensor_fault|S1|CO-101', null, 40_000]
  ])
  t.equal(h.changes[0]?.rule.category, 'fault')
})

t.test('engine - over-range by status bit or by the point\'s range raises a fault and does not suppress thresholds', async (t) => {
  const h = setup()
  h.read('S1', 'CO-101', 0, 1200)
  t.same(summary(h.changes), [['device.over_range|S1|CO-101', 'yellow', 0], [CO_KEY, 'red', 0]],
    'a value above range counts as bit 8, and the CO alarm still fires')
  t.match(h.changes[0]?.message, /超量程：状态 超量程，值 1200 ppm 超出量程 0–1000，黄色/)
  h.read('S1', 'CO-101', 20_000, 200)
  t.same(summary(h.changes).slice(2), [['device.over_range|S1|CO-101', null, 20_000]])
  h.read('S1', 'CO-101', 40_000, 200, STATUS.OVER_RANGE)
  t.same(summary(h.changes).slice(3), [['device.over_range|S1|CO-101', 'yellow', 40_000]], 'bit 8 alone, value in range')
})
