// scenario frozen-sensor (疑似篡改) - CO-008 repeats the value it read at 10:00 while CO-009, CO-010 and CO-016
// of its area vary. Expected: quality.frozen on CO-008 once it has been flat for 2 h, on no other point, and
// no other message of any category.
import t from 'tap'
import { FROZEN } from '../../src/tools/simulate/scenarios/frozen-sensor.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { beijing, recordLatency, exactly, minutesAfter, of, startScenarioRun, steps } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario frozen-sensor - a flat-lined CO sensor among varying neighbours is flagged', async (t) => {
  const start = beijing('09:58')
  const at = start + 2 * MIN
  // four simulated minutes a tick: readings up to 220 s old, so the late bound is 5 min here
  const run = await startScenarioRun(t, { sites: [FROZEN.site], scenarios: ['frozen-sensor'], start, at, stepMs: 4 * MIN, env: { MINEWATCH_LATE_AFTER_S: '300' } })
  await run.runUntil(at + 2 * 60 * MIN + 6 * MIN)
  const seen = await run.settle()
  const frozen = of(seen, 'quality.frozen')
  t.same(steps(frozen), [['raised', 'yellow', FROZEN.point]], `${FROZEN.point} flagged, no other point`)
  alarmCheck(t)(frozen[0]?.body, 'the frozen alarm')
  t.match(frozen[0]?.body, { category: 'fault', siteCode: FROZEN.site, late: false, hazardClause: null })
  t.ok(minutesAfter(frozen[0], at) >= 120 && minutesAfter(frozen[0], at) <= 126, `after 2 h flat (${minutesAfter(frozen[0], at)} min)`)
  exactly(t, seen, [['quality.frozen', 'raised', 'yellow', FROZEN.point]], 'nothing else of any category')
  recordLatency(t, frozen)
})
