// The pure parts of the power module: 15-min windows, the site profile, the production-period reference
// learned online (or taken from the meters' attributes), the PW-1 verdict and the PW-2 pairing test.
import t from 'tap'
import { Learner, judge, profileOf, staticReference, type Reference } from '../../../../src/4-evaluate/modules/power/baseline.js'
import { conflictOf } from '../../../../src/4-evaluate/modules/power/fan-conflict.js'
import { metersOf } from '../../../../src/4-evaluate/modules/power/meters.js'
import { Windows, type ClosedWindow } from '../../../../src/4-evaluate/modules/power/window.js'
import type { Attributes } from '../../../../src/contract/index.js'
import type { Point } from '../../../../src/registry/types.js'

const MIN = 60_000
const HOUR = 60 * MIN

function meter (code: string, attributes: Attributes): Point {
  return { site: 'S1', code, quantity: 'power_kw', unit: 'kW', kind: 'analog', intervalS: 60, attributes, definedAt: 0 }
}

const TOTAL = meter('T', { equipment: 'total', ratedKw: 8000 })
const HOIST = meter('H', { equipment: 'hoist', ratedKw: 3000 })
const FAN = meter('F', { equipment: 'main_fan', ratedKw: 400, fan: 'EF-1' })
const win = (means: Record<string, number>): ClosedWindow => ({ start: 0, end: 15 * MIN, means: new Map(Object.entries(means)) })

t.test('power windows - a window closes on the first reading after its end, with each point\'s mean', async (t) => {
  const w = new Windows(15 * MIN)
  t.equal(w.add('T', 1 * MIN, 100), null)
  t.equal(w.add('T', 6 * MIN, 200), null)
  t.equal(w.add('H', 11 * MIN, 50), null)
  const closed = w.add('T', 15 * MIN, 999)
  t.same(closed && { start: closed.start, end: closed.end, means: [...closed.means] }, { start: 0, end: 15 * MIN, means: [['T', 150], ['H', 50]] })
  t.equal(w.add('T', 14 * MIN, 1), null, 'a reading of a window already closed is dropped')
  const next = w.add('T', 61 * MIN, 0)
  t.same(next && [next.start, [...next.means]], [15 * MIN, [['T', 999]]], 'a gap closes the window with data; empty windows are skipped')
  t.throws(() => new Windows(0))
})

t.test('power profile - the load is the total meters, else the sum of the equipment; missing data is not 0 kW', async (t) => {
  const meters = metersOf([TOTAL, HOIST, FAN, { ...meter('X', {}), attributes: {} }])
  t.equal(meters.length, 3, 'a power point without attributes.equipment is no meter')
  t.same(profileOf(win({ T: 4400, H: 2100, F: 300 }), meters, ['hoist']), { loadKw: 4400, prodKw: 2100 })
  t.equal(profileOf(win({ H: 2100, F: 300 }), meters, ['hoist']), null, 'no total reading: not judged')
  t.same(profileOf(win({ T: 4400, F: 300 }), meters, ['hoist']), { loadKw: 4400, prodKw: null }, 'hoist silent: share unknown')
  const noTotal = metersOf([HOIST, FAN])
  t.same(profileOf(win({ H: 2100, F: 300 }), noTotal, ['hoist', 'crusher']), { loadKw: 2400, prodKw: 2100 })
  t.equal(profileOf(win({ F: 300, P: 250 }), metersOf([FAN, meter('P', { equipment: 'pump' })]), ['hoist']), null, 'fans and pumps only: nothing to judge')
  t.same(profileOf(win({ T: 900 }), metersOf([TOTAL]), ['hoist']), { loadKw: 900, prodKw: null }, 'a total meter alone')
})

t.test('power baseline - learned from producing windows once minLearned is reached, over the last learnSpan only', async (t) => {
  const l = new Learner(2 * HOUR, 1 * HOUR)
  for (let i = 1; i <= 3; i++) l.add(i * 15 * MIN, 15 * MIN, { loadKw: 4000, prodKw: 2000 })
  t.equal(l.reference(), null, '45 min learned: not enough')
  l.add(60 * MIN, 15 * MIN, { loadKw: 4800, prodKw: null })
  t.same(l.reference(), { loadKw: 4200, share: 0.5, source: 'learned' }, 'mean load; share over the windows that know it')
  l.add(50 * MIN, 15 * MIN, { loadKw: 1, prodKw: 1 })
  t.equal(l.learnedMs(), HOUR, 'an older window is ignored')
  for (let i = 5; i <= 12; i++) l.add(i * 15 * MIN, 15 * MIN, { loadKw: 3000, prodKw: 300 })
  t.same(l.reference(), { loadKw: 3000, share: 0.1, source: 'learned' }, 'windows older than the span are forgotten')
  t.equal(l.learnedMs(), 2 * HOUR)
})

t.test('power baseline - without history: declared productionKw, else ratedShare × ratedKw, else none', async (t) => {
  t.same(staticReference(metersOf([TOTAL, HOIST]), ['hoist'], 0.5), { loadKw: 4000, share: 0.375, source: 'rated' })
  const declared = metersOf([{ ...TOTAL, attributes: { ...TOTAL.attributes, productionKw: 4500 } }, HOIST])
  t.same(staticReference(declared, ['hoist'], 0.5), { loadKw: 4500, share: 0.375, source: 'declared' })
  t.same(staticReference(metersOf([meter('T', { equipment: 'total' })]), ['hoist'], 0.5), null, 'no rating, nothing declared')
  t.same(staticReference(metersOf([HOIST, meter('P', { equipment: 'pump' })]), ['hoist'], 0.5), null, 'half the ratings are not a level')
})

t.test('power verdict - load at the fraction of the reference, or the production share back at its production level', async (t) => {
  const ref: Reference = { loadKw: 4400, share: 0.48, source: 'learned' }
  const cfg = { loadFraction: 0.6, shareFraction: 1, equipmentFloor: 0.2 }
  t.same(judge({ loadKw: 4400, prodKw: 2100 }, ref, cfg), { load: true, share: false, shareNow: 2100 / 4400 })
  t.match(judge({ loadKw: 2640, prodKw: 0 }, ref, cfg), { load: true, share: false }, 'exactly 60 % of the reference load')
  t.match(judge({ loadKw: 2400, prodKw: 1300 }, ref, cfg), { load: false, share: true }, 'maintenance load, production share (the Hebei case)')
  t.match(judge({ loadKw: 1500, prodKw: 0 }, ref, cfg), { load: false, share: false }, 'fans and pumps only')
  t.match(judge({ loadKw: 100, prodKw: 60 }, ref, cfg), { load: false, share: false }, 'a high share of a near-dead site is below the equipment floor')
  t.match(judge({ loadKw: 2400, prodKw: null }, ref, cfg), { share: false, shareNow: null })
  t.match(judge({ loadKw: 2400, prodKw: 1300 }, { ...ref, share: null }, cfg), { share: false })
})

t.test('power fan pairing - running with no power, or stopped while drawing running power, disagree', async (t) => {
  const cfg = { idleFraction: 0.1, runningFraction: 0.3 }
  t.equal(conflictOf(1, 2, 400, cfg), 'no_power')
  t.equal(conflictOf(1, 40, 400, cfg), null, 'exactly 10 % counts as drawing power')
  t.equal(conflictOf(1, 310, 400, cfg), null)
  t.equal(conflictOf(0, 310, 400, cfg), 'powered')
  t.equal(conflictOf(0, 120, 400, cfg), null, 'run-down after a stop, up to 30 %')
  t.equal(conflictOf(0, 0.6, 400, cfg), null, 'a stop both agree on is the ventilation rules\' business')
})
