// The flood meter: raises per site in a sliding window, more than the threshold is a flood, grouped by rule.
import t from 'tap'
import { FloodMeter } from '../../../src/5-alarm/flood/meter.js'

const MIN = 60_000
const T0 = Date.UTC(2026, 11, 5, 8)

t.test('flood - more than the threshold raises in the window is a flood; the window slides', async (t) => {
  const m = new FloodMeter({ windowMs: 10 * MIN, threshold: 3 })
  for (let i = 0; i < 3; i++) m.record('S1', 'device.offline', T0 + i * MIN)
  t.match(m.state('S1', T0 + 3 * MIN), { count: 3, flood: false }, 'at the threshold: not yet')
  m.record('S1', 'gas.co.limit', T0 + 4 * MIN)
  t.same(m.state('S1', T0 + 4 * MIN), { siteCode: 'S1', count: 4, flood: true, byRule: [{ ruleId: 'device.offline', count: 3 }, { ruleId: 'gas.co.limit', count: 1 }] })
  t.match(m.state('S1', T0 + 10 * MIN), { count: 3, flood: false }, 'the first raise left the window (exclusive start)')
  t.match(m.state('S1', T0 + 14 * MIN), { count: 0, flood: false, byRule: [] })
  t.same(m.sites(T0 + 14 * MIN), [], 'a quiet site is not listed')
})

t.test('flood - sites are apart; a raise out of order is placed by its time; the future is not counted', async (t) => {
  const m = new FloodMeter({ windowMs: 10 * MIN, threshold: 1 })
  m.record('S1', 'r', T0 + 5 * MIN)
  m.record('S1', 'r', T0 + MIN)
  m.record('S2', 'r', T0 + 2 * MIN)
  t.same(m.sites(T0 + 6 * MIN).map((s) => [s.siteCode, s.count, s.flood]), [['S1', 2, true], ['S2', 1, false]])
  t.equal(m.state('S1', T0 + 2 * MIN).count, 1, 'a raise after `now` is not counted')
  t.equal(m.state('S1', T0 + 12 * MIN).count, 1, 'the early one left, the later one stays')
})
