// Blasting fumes against the CO trend rules (issue 7 item 7): declared blast windows in Beijing time, blasts
// detected from a spike at one point holding the site's other points, an open warning held through a blast,
// and a mistyped schedule refused with a reason.
import t from 'tap'
import { blastGuard, blastSchedule, type BlastingSpec } from '../../../../src/4-evaluate/modules/trends/blasting.js'
import type { SiteScope } from '../../../../src/4-evaluate/modules/trends/kind.js'
import type { RuleSpec } from '../../../../src/4-evaluate/rule-file.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point } from '../../../../src/registry/types.js'
import { point, site } from '../../../helpers/registry.js'
import { harness, summary } from '../harness.js'

const MIN = 60_000
// epoch 0 is 08:00 Beijing time
const at = (hhmm: string, day = 0): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  return day * 24 * 60 * MIN + ((h - 8) * 60 + m) * MIN
}
const SPEC: BlastingSpec = { before: '10m', after: '30m', spike: { rise: 10, within: '3m' } }
const scope = (): SiteScope => ({ shared: new Map() })

const STEADY: RuleSpec = {
  id: 'trend.co.steady_rise',
  kind: 'predict',
  title: 'CO 持续上升将超限',
  category: 'early_warning',
  source: 'test',
  match: { quantity: ['co'] },
  window: '12m',
  horizon: '30m',
  direction: 'upper',
  limit: 24,
  minSamples: 10,
  sustain: { parts: 3, minRatePerHour: 30 },
  blasting: SPEC,
  levels: { yellow: { at: 30, release: 40 }, orange: { at: 10, release: 15 } }
}
const co = (code: string): Point => point('U1', code, 'co', { intervalS: 60 })

t.test('trends blasting - declared blast times are Beijing times, every day, from `before` to `after` each', async (t) => {
  const g = blastGuard(SPEC, site('U1', 'underground', { attributes: { blastTimes: '14:40，23:50' } }), 60, scope())
  const holds = (ts: number): boolean => g?.holds(ts, 5) ?? false
  t.same([at('14:29'), at('14:30'), at('15:10'), at('15:11')].map(holds), [false, true, true, false], '14:30 to 15:10 around 14:40')
  t.same([at('23:39'), at('23:40', 1), at('00:20', 2), at('00:21', 2)].map(holds), [false, true, true, false], 'over midnight, on any day')
  t.equal(blastGuard(undefined, site('U1'), 60, scope()), null, 'no blasting, no guard')
  t.same(blastSchedule(' 6:40 , 14:40;22:40 ', 'x'), [400, 880, 1360])
  t.same(blastSchedule(undefined, 'x'), [], 'no attribute: no declared blast (detection still works)')
  t.throws(() => blastSchedule('14:40,2:4O', 'site U1 attribute "blastTimes"'), /site U1 attribute "blastTimes" is "14:40,2:4O": "2:4O" is not a Beijing time HH:mm/)
})

t.test('trends blasting - a spike at one point opens a window for every point of the site, from the spike\'s start', async (t) => {
  const shared = scope()
  const face = blastGuard(SPEC, site('U1'), 60, shared)
  const downstream = blastGuard(SPEC, site('U1'), 60, shared)
  const other = blastGuard(SPEC, site('U2'), 60, scope())
  for (const [m, v] of [[0, 6], [1, 6], [2, 9], [3, 16.5]] as const) t.equal(face?.holds(m * MIN, v), m === 3, `face ${v} ppm at ${m} min`)
  t.equal(downstream?.holds(0.5 * MIN, 6), true, 'the window opened `within` before the spike was seen')
  t.equal(downstream?.holds(33 * MIN, 8), true, '30 min after it')
  t.equal(downstream?.holds(34 * MIN, 8), false, 'and closed then')
  t.equal(other?.holds(3 * MIN, 6), false, 'another site is not concerned')
})

t.test('trends blasting - a warning open when a blast window opens is held through it, neither cleared nor re-raised', async (t) => {
  const reg = new MemoryRegistry([site('U1', 'underground', { attributes: { blastTimes: '08:40' } })], [co('CO-1')])
  const h = harness(reg, [STEADY])
  // +1 ppm/min from 10 min: orange at 21 min (15 ppm, 9 min ahead); the blast window 08:30–09:10 (30–70 min) holds it
  // through the fall that would otherwise clear it at once; afterwards the flat 6 ppm clears it
  const value = (m: number): number => m < 10 ? 4 : m < 28 ? 4 + (m - 10) : m < 60 ? 22 - 0.5 * (m - 28) : 6
  for (let m = 0; m <= 85; m++) {
    h.advanceTo(m * MIN)
    h.read('U1', 'CO-1', m * MIN, value(m))
  }
  t.same(summary(h.changes).map(([, level, ts]) => [level, ts / MIN]), [['orange', 21], [null, 71]],
    'raised on the rise, held from 30 to 70 min, cleared by the first judgement after the window')
})

t.test('trends blasting - a mistyped schedule keeps the rule off the site\'s points and says why; fixing it binds them', async (t) => {
  const reg = new MemoryRegistry([site('U1', 'underground', { attributes: { blastTimes: '8:4O' } })], [co('CO-1')])
  const h = harness(reg, [STEADY])
  h.read('U1', 'CO-1', 0, 5)
  t.match(h.engine.health()[0], { ruleId: 'trend.co.steady_rise', health: 'err', lastError: /site U1 attribute "blastTimes" is "8:4O"/ })
  reg.putSite(site('U1', 'underground', { attributes: { blastTimes: '08:40' } }))
  for (let m = 1; m <= 30; m++) {
    h.advanceTo(m * MIN)
    h.read('U1', 'CO-1', m * MIN, m < 10 ? 4 : 4 + (m - 10))
  }
  t.same(summary(h.changes).map(([, level, ts]) => [level, ts / MIN]), [['orange', 21]], 'the site\'s new attribute rebuilt the evaluator')
})
