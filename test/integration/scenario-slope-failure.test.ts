// scenario slope-failure - S1-GNSS03-3D on the east slope of 水厂铁矿 accelerates from 1 mm/h at 10:00 to failure
// at 16:00 (inverse velocity falling linearly to zero, v = 1 mm/h / (1 − t/6 h)). Expected, all on that point
// and before the failure: slope.tangent_angle reaching red (> 85°); slope.inverse_velocity red at least an hour
// ahead, its value the hours left, predicting the failure within 45 min; slope.rate.velocity orange once the
// 1-h velocity passes 5 mm/h (4.8 h in, plus the regression's lag), red past 10 mm/h; nothing on the other
// stations and no other message of any category.
import t from 'tap'
import { failureTime, SLOPE_FAILURE } from '../../src/tools/simulate/scenarios/slope-failure.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { beijing, recordLatency, exactly, minutesAfter, of, startScenarioRun } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario slope-failure - rate, tangent angle and inverse velocity warn before the failure', async (t) => {
  const start = beijing('09:55')
  const at = beijing('10:00')
  // one slope period (5 min) a tick; power meters (60 s) are then up to 4 min old: late bound 10 min here
  const run = await startScenarioRun(t, { sites: [SLOPE_FAILURE.site], scenarios: ['slope-failure'], start, at, stepMs: 5 * MIN, env: { MINEWATCH_LATE_AFTER_S: '600' } })
  const tf = failureTime(at)
  await run.runUntil(tf)
  const seen = await run.settle()
  const valid = alarmCheck(t)
  for (const s of seen) valid(s.body, `${s.body.ruleId} ${s.body.transition}`)
  t.same([...new Set(seen.map((s) => s.body.points.join(',')))], [SLOPE_FAILURE.point], `every alarm is on ${SLOPE_FAILURE.point}`)

  const rate = of(seen, 'slope.rate.velocity')
  t.match(rate[0]?.body, { transition: 'raised', level: 'orange' }, 'the velocity rule warns orange')
  t.ok(minutesAfter(rate[0], at) >= 288 && minutesAfter(rate[0], at) <= 345, `at 5 mm/h: ${minutesAfter(rate[0], at)} min into the acceleration`)

  const tangent = of(seen, 'slope.tangent_angle')
  t.equal(tangent[0]?.body.transition, 'raised', 'the tangent angle rule warns')
  t.equal(tangent.at(-1)?.body.level, 'red', 'and reaches red (> 85°)')
  t.comment(`tangent angle raised ${minutesAfter(tangent[0], at)} min into the acceleration at ${String(tangent[0]?.body.value)}°`)
  t.ok(minutesAfter(rate[1], at) > minutesAfter(rate[0], at) && (tf - Date.parse(rate[1]?.body.eventAt ?? '')) > 0, `the velocity rule escalates red (10 mm/h) ${minutesAfter(rate[1], at)} min in, before the failure`)

  const inverse = of(seen, 'slope.inverse_velocity')
  t.match(inverse[0]?.body, { transition: 'raised', level: 'red', category: 'early_warning' }, 'inverse velocity: red')
  const warnedMin = (tf - Date.parse(inverse[0]?.body.eventAt ?? '')) / MIN
  t.ok(warnedMin >= 60, `red ${warnedMin} min before the failure`)
  t.comment(`inverse velocity message: ${inverse[0]?.body.message ?? ''}`)
  const predicted = Date.parse(inverse[0]?.body.eventAt ?? '') + Number(inverse[0]?.body.value) * 60 * MIN
  t.ok(Math.abs(predicted - tf) <= 45 * MIN, `value ${String(inverse[0]?.body.value)} h to failure predicts it within 45 min (${((predicted - tf) / MIN).toFixed(0)} min off)`)
  exactly(t, seen, [
    ['slope.rate.velocity', 'raised', 'orange', SLOPE_FAILURE.point],
    ['slope.rate.velocity', 'escalated', 'red', SLOPE_FAILURE.point],
    // the 12 h tangent window is judged once it spans 6 h: the feed starts 5 min before the acceleration, so
    // the first judgement comes 355 min in, far past 85°: straight to red, with no yellow or orange before it
    ['slope.tangent_angle', 'raised', 'red', SLOPE_FAILURE.point],
    ['slope.inverse_velocity', 'raised', 'red', SLOPE_FAILURE.point]
  ], 'the three slope rules on the failing point; nothing else of any category')
  t.same(seen.map((s) => s.body.hazardClause), seen.map(() => null), 'monitoring warnings, not a hazard criterion')
  recordLatency(t, [rate[0], tangent[0], inverse[0]].filter((s) => s !== undefined))
})
