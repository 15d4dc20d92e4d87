// The arithmetic behind the trend kinds: least squares, the sliding window, the improved tangent angle and
// the inverse-velocity failure time, each checked against values worked out by hand.
import t from 'tap'
import { fitLine, LineFit } from '../../../../src/4-evaluate/modules/trends/fit.js'
import { failureTime } from '../../../../src/4-evaluate/modules/trends/inverse.js'
import { limitOf } from '../../../../src/4-evaluate/modules/trends/predict.js'
import { tangentAngle, uniformVelocityOf } from '../../../../src/4-evaluate/modules/trends/tangent.js'
import { SampleWindow, windowCapacity } from '../../../../src/4-evaluate/modules/trends/window.js'
import type { Point } from '../../../../src/registry/types.js'

const point = (over: Partial<Point> = {}): Point => ({ site: 'S', code: 'P', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 10, attributes: {}, definedAt: 0, ...over })

t.test('trends math - least squares recovers an exact line and reports a perfect fit', async (t) => {
  const f = fitLine([0, 1, 2, 3, 4], [1, 3, 5, 7, 9])
  t.equal(f?.slope, 2)
  t.equal(f?.intercept, 1)
  t.equal(f?.r2, 1)
  t.equal(f?.slopeSe, 0)
})

t.test('trends math - least squares on a noisy line: slope from every point, not the ends', async (t) => {
  // y = 2x plus noise (+1, −1, 0, −1, +1)
  const f = fitLine([0, 1, 2, 3, 4], [1, 1, 4, 5, 9])
  // by hand: x̄ = 2, ȳ = 4, Sxy = (−2)(−3) + (−1)(−3) + 0 + (1)(1) + (2)(5) = 20, Sxx = 10
  t.equal(f?.slope, 2)
  t.equal(f?.intercept, 0)
  // Syy = 9 + 9 + 0 + 1 + 25 = 44, Sres = Syy − slope·Sxy = 4, r² = 1 − 4/44, se = sqrt(4 / (n − 2) / Sxx)
  t.ok(Math.abs((f?.r2 ?? 0) - 40 / 44) < 1e-12, `r2 ${f?.r2 ?? NaN}`)
  t.ok(Math.abs((f?.slopeSe ?? 0) - Math.sqrt(4 / 30)) < 1e-12)
})

t.test('trends math - a fit needs two distinct x values', async (t) => {
  t.equal(fitLine([1], [1]), null)
  t.equal(fitLine([2, 2, 2], [1, 2, 3]), null)
  const f = new LineFit()
  f.add(0, 5)
  f.add(1, 5)
  t.equal(f.result()?.slope, 0, 'a flat line has slope 0')
  t.equal(f.result()?.r2, 1)
})

t.test('trends math - the window slides in event time and never outgrows its capacity', async (t) => {
  const w = new SampleWindow(60_000, 5)
  for (let i = 0; i <= 10; i++) w.push(i * 10_000, i)
  t.equal(w.length, 5, 'capacity bounds it (a 60 s window of 10 s samples would hold 7)')
  t.equal(w.first(), 60_000)
  t.equal(w.lastValue(), 10)
  const wide = new SampleWindow(30_000, 100)
  for (let i = 0; i <= 10; i++) wide.push(i * 10_000, 3 * i)
  t.equal(wide.length, 4, 'samples older than 30 s fell off')
  t.same([wide.at(0), wide.at(3)], [{ ts: 70_000, value: 21 }, { ts: 100_000, value: 30 }])
  const f = wide.fit(10_000)
  t.equal(f?.slope, 3, 'slope per 10 s')
  t.equal(f?.intercept, 30, 'x is counted from the newest sample: the intercept is the fitted value now')
  t.ok(wide.ready(4))
  t.notOk(wide.ready(5))
  t.equal(windowCapacity(600_000, 20), 124)
})

t.test('trends math - a window is judged only once it spans half its length', async (t) => {
  const w = new SampleWindow(60_000, 100)
  w.push(0, 1)
  w.push(10_000, 1)
  w.push(20_000, 1)
  t.notOk(w.ready(3), '3 samples over 20 s of a 60 s window')
  w.push(30_000, 1)
  t.ok(w.ready(3))
})

t.test('trends math - improved tangent angle: 45° at the uniform velocity, steeper as it accelerates', async (t) => {
  t.equal(tangentAngle(2, 2), 45)
  t.ok(Math.abs(tangentAngle(2 * Math.tan(80 * Math.PI / 180), 2) - 80) < 1e-9)
  t.ok(tangentAngle(11.44 * 2, 2) > 85 && tangentAngle(11.42 * 2, 2) < 85, 'red from v/v₀ = tan 85° ≈ 11.43')
  t.ok(tangentAngle(1, 2) < 45, 'slower than the uniform stage')
  t.ok(tangentAngle(-1, 2) < 0, 'moving back')
  t.equal(uniformVelocityOf({ window: '1h', levels: {} }, point({ attributes: { uniformVelocityMmPerDay: 0.05 } })), 0.05)
  t.equal(uniformVelocityOf({ window: '1h', levels: {}, uniformVelocityPerDay: 1 }, point()), 1, 'rule default')
  t.throws(() => uniformVelocityOf({ window: '1h', levels: {} }, point({ attributes: { uniformVelocityMmPerDay: 0 } })), /no uniform-stage velocity/)
})

t.test('trends math - inverse velocity: 1/v falling linearly to zero gives the failure time', async (t) => {
  // v = 2 / (10 − t): 1/v = (10 − t) / 2 reaches zero at t = 10
  const ts = [0, 1, 2, 3, 4, 5]
  const vs = ts.map((x) => 2 / (10 - x))
  const r = failureTime(ts, vs, 0.1, 0.8)
  t.ok(r !== null && Math.abs(r.failureAt - 10) < 1e-9, `t_f ${r?.failureAt ?? NaN}`)
  t.ok(r !== null && Math.abs(r.fit.slope + 0.5) < 1e-12)
  // relative to now (t = 5), as the rule uses it: times −5…0 → t_f = 5 h ahead
  const rel = failureTime(ts.map((x) => x - 5), vs, 0.1, 0.8)
  t.ok(rel !== null && Math.abs(rel.failureAt - 5) < 1e-9)
})

t.test('trends math - inverse velocity forecasts nothing without sustained acceleration', async (t) => {
  const ts = [0, 1, 2, 3, 4, 5]
  t.equal(failureTime(ts, ts.map(() => 1), 0.1, 0.8), null, 'constant velocity: 1/v does not fall')
  t.equal(failureTime(ts, ts.map((x) => 2 / (1 + x)), 0.1, 0.8), null, 'decelerating')
  t.equal(failureTime(ts, ts.map((x) => 2 / (10 - x)), 0.25, 0.8), null, 'a velocity at or below the floor (0.2 ≤ 0.25)')
  t.equal(failureTime(ts, [1, 3, 1.1, 3, 1.2, 3.5], 0.1, 0.8), null, 'a scatter that fits no line')
})

t.test('trends math - predict takes the point attribute, then its alarm limit, then the rule limit', async (t) => {
  const rule = { window: '10m', horizon: '30m', direction: 'upper' as const, levels: {}, limit: 24, limitAttribute: 'controlLevelM' }
  t.equal(limitOf(rule, point({ attributes: { controlLevelM: 31.5 }, limits: { upperAlarm: 30 } })), 31.5)
  t.equal(limitOf(rule, point({ limits: { upperAlarm: 30 } })), 30)
  t.equal(limitOf(rule, point()), 24)
  t.equal(limitOf({ ...rule, direction: 'lower', limit: undefined }, point({ limits: { lowerAlarm: 4 } })), 4)
  t.throws(() => limitOf({ ...rule, limit: undefined }, point()), /no limit/)
})

t.test('trends math - predict takes the absolute limit of the level it aims at before the design attribute', async (t) => {
  const rule = { window: '1h', horizon: '2h', direction: 'lower' as const, levels: {}, limitAttribute: 'controlDepthM', limitLevel: 'red' as const }
  t.equal(limitOf(rule, point({ limits: { orange: 4.4, red: 4 } })), 4, 'a piezometer without controlDepthM predicts against its red limit')
  t.equal(limitOf(rule, point({ attributes: { controlDepthM: 5 }, limits: { red: 4 } })), 4, 'the limit the threshold rule raises red at, not the design value it overrides')
  t.equal(limitOf(rule, point({ attributes: { controlDepthM: 5 }, limits: { orange: 5.5 } })), 5, 'another level\'s limit is not the one predicted')
  t.throws(() => limitOf(rule, point({ limits: { orange: 4.4 } })), /no limit to predict against \(limits\.red, attribute controlDepthM/)
})
