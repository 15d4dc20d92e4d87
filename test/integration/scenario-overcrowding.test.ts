// scenario overcrowding - for an hour of the early shift a second crew goes down: the mine holds its approved
// headcount + 15 (195 > 180) and stope area A5 its limit + 5 (30 > 25). Expected: personnel.overcrowding.mine
// and personnel.overcrowding.area (area:A5) raised after their 5 min dwell, both cleared once the extra crew
// is gone; no other area, no overtime, no missing leader, no other message of any category.
import t from 'tap'
import { AREA_LIMITS } from '../../src/tools/simulate/fleet/index.js'
import { OVERCROWDING } from '../../src/tools/simulate/scenarios/overcrowding.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { beijing, recordLatency, exactly, minutesAfter, of, startScenarioRun } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario overcrowding - mine and area over their limits, raised and cleared', async (t) => {
  const start = beijing('09:58')
  const at = start + 2 * MIN
  // a tick every two simulated minutes: readings up to 100 s old, so the late bound is 5 min here
  const run = await startScenarioRun(t, { sites: [OVERCROWDING.site], scenarios: ['overcrowding'], start, at, stepMs: 2 * MIN, env: { MINEWATCH_LATE_AFTER_S: '300' } })
  await run.runUntil(at + 62 * MIN)
  const seen = await run.settle()
  const valid = alarmCheck(t)
  for (const s of seen) valid(s.body, `${s.body.ruleId} ${s.body.transition}`)
  const approved = run.fleet.sites[0]?.input.approvedHeadcount ?? NaN
  const areaLimit = AREA_LIMITS[OVERCROWDING.area] ?? NaN

  const mine = of(seen, 'personnel.overcrowding.mine')
  t.same(mine.map((s) => [s.body.transition, s.body.level]), [['raised', 'yellow'], ['cleared', 'yellow']], 'mine: raised yellow (under 120 %), cleared')
  t.match(mine[0]?.body, { category: 'violation', siteCode: OVERCROWDING.site, value: approved + OVERCROWDING.overMine, limit: approved, late: false })
  t.ok(minutesAfter(mine[0], at) >= 5 && minutesAfter(mine[0], at) <= 6, `raised after the 5 min dwell (${minutesAfter(mine[0], at)} min)`)
  t.ok(minutesAfter(mine[1], at) >= 60 && minutesAfter(mine[1], at) <= 61, 'cleared when the extra crew is gone')

  const area = of(seen, 'personnel.overcrowding.area')
  t.same(area.map((s) => [s.body.transition, s.body.level]), [['raised', 'yellow'], ['cleared', 'yellow']], 'area: raised yellow, cleared')
  t.match(area[0]?.body, { category: 'violation', value: areaLimit + OVERCROWDING.overArea, limit: areaLimit })
  t.same(area.map((s) => new RegExp(OVERCROWDING.area).test(s.body.message)), [true, true], `both messages name area ${OVERCROWDING.area}`)

  exactly(t, seen, [
    ['personnel.overcrowding.mine', 'raised', 'yellow', ''],
    ['personnel.overcrowding.mine', 'cleared', 'yellow', ''],
    ['personnel.overcrowding.area', 'raised', 'yellow', ''],
    ['personnel.overcrowding.area', 'cleared', 'yellow', '']
  ], 'nothing else of any category: no overtime, no missing leader, no other area')
  t.same(seen.map((s) => s.body.hazardClause), seen.map(() => null), 'the over-staffing clause is coal\'s, and 杏山 is a metal mine')
  recordLatency(t, [...mine, ...area].filter((s) => s.body.transition === 'raised'))
})
