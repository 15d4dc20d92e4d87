// scenario co-fire - a belt fire smoulders in 杏山's -300 m haulage drift: CO at CO-007 rises a steady
// 1.2 ppm/min for 25 min past the 24 ppm limit, holds, then clears (src/tools/simulate/scenarios/co-fire.ts), through
// the real app, QuestDB and nats-server in compressed time. Issue 7 item 7: a non-coal underground mine gets
// the CO trend's early warning (trend.co.steady_rise) minutes before the over-limit alarm, and both clear
// once the fire is out; nothing else of any category.
import t from 'tap'
import { CO_FIRE } from '../../src/tools/simulate/scenarios/co-fire.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { beijing, recordLatency, exactly, minutesAfter, of, startScenarioRun, steps } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario co-fire - the CO trend warns before the limit alarm, both clear when the fire is out', async (t) => {
  const start = beijing('09:58')
  const at = start + 2 * MIN // 10:00, hours from 杏山's blasts (06:40, 14:40)
  const run = await startScenarioRun(t, { sites: [CO_FIRE.site], scenarios: ['co-fire'], start, at, stepMs: 2 * MIN, env: { MINEWATCH_LATE_AFTER_S: '300' } })
  await run.runUntil(at + 56 * MIN)
  const seen = await run.settle()
  const valid = alarmCheck(t)
  for (const s of seen) valid(s.body, `${s.body.ruleId} ${s.body.transition}`)

  const trend = of(seen, 'trend.co.steady_rise')
  const limit = of(seen, 'gas.co.limit')
  t.same(steps(limit), [['raised', 'yellow', CO_FIRE.point], ['cleared', 'yellow', CO_FIRE.point]], 'the over-limit alarm: yellow, cleared')
  t.equal(trend[0]?.body.transition, 'raised')
  t.equal(trend.at(-1)?.body.transition, 'cleared')
  t.match(trend[0]?.body, { category: 'early_warning', siteCode: CO_FIRE.site, points: [CO_FIRE.point], limit: 10, hazardClause: null, late: false }) // orange: within 10 min of 24 ppm
  t.match(trend[0]?.body.message, /12 分钟持续上升，按当前趋势（\d+(\.\d+)? ppm\/h）预计 \d+ 分钟后达到 24 ppm/)
  const warned = minutesAfter(trend[0], at)
  const over = minutesAfter(limit[0], at)
  t.ok(warned > 5 && warned < over - 3, `early warning ${warned.toFixed(1)} min into the fire, ${(over - warned).toFixed(1)} min before the limit alarm`)
  t.ok(minutesAfter(trend.at(-1), at) > 35, 'held while the CO stands at or over the limit, cleared as it falls back')
  exactly(t, seen, [
    ...trend.map((s) => ['trend.co.steady_rise', s.body.transition, s.body.level, CO_FIRE.point] as const),
    ['gas.co.limit', 'raised', 'yellow', CO_FIRE.point],
    ['gas.co.limit', 'cleared', 'yellow', CO_FIRE.point]
  ], 'the trend warning and the CO alarm, nothing else of any category')
  t.ok(trend.length <= 3, `the warning raised, at most escalated once, cleared (${trend.map((s) => `${s.body.transition} ${s.body.level}`).join(', ')})`)
  recordLatency(t, seen)
})
