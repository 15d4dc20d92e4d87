// scenario fan-stop - the east shaft's working main fan stops for an hour during the early shift: its
// fan_status point reads 0 and its feeder draws ~0 kW. Expected: ventilation.main_fan.stopped red at once
// and cleared when it restarts; personnel.fan_stopped (NM-5) while the 64 people of the shift are
// underground; no power.fan.conflict (status and power agree: a real stop, not a faulty switch); no other
// message of any category.
import t from 'tap'
import { FAN_STOP } from '../../src/tools/simulate/scenarios/fan-stop.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { beijing, recordLatency, exactly, minutesAfter, of, startScenarioRun, steps } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario fan-stop - main fan stopped alarm and people underground without ventilation', async (t) => {
  const start = beijing('09:58')
  const at = start + 2 * MIN
  // a tick every two simulated minutes: readings up to 100 s old, so the late bound is 5 min here
  const run = await startScenarioRun(t, { sites: [FAN_STOP.site], scenarios: ['fan-stop'], start, at, stepMs: 2 * MIN, env: { MINEWATCH_LATE_AFTER_S: '300' } })
  await run.runUntil(at + 63 * MIN)
  const seen = await run.settle()
  const valid = alarmCheck(t)
  for (const s of seen) valid(s.body, `${s.body.ruleId} ${s.body.transition}`)

  const stopped = of(seen, 'ventilation.main_fan.stopped')
  t.same(steps(stopped), [['raised', 'red', FAN_STOP.statusPoint], ['cleared', 'red', FAN_STOP.statusPoint]], 'main fan stopped: raised red, cleared on restart')
  t.match(stopped[0]?.body, { category: 'fault', siteCode: FAN_STOP.site, value: 0, late: false, hazardClause: null })
  t.equal(minutesAfter(stopped[0], at), 0, 'raised by the first reading of 0')
  t.equal(minutesAfter(stopped[1], at), 60, 'cleared by the first reading of 1, an hour later')

  const crew = of(seen, 'personnel.fan_stopped')
  t.equal(crew[0]?.body.transition, 'raised', 'people underground while the main fan is stopped: raised')
  t.match(crew[0]?.body, { siteCode: FAN_STOP.site, value: 64, late: false })
  t.ok(minutesAfter(crew[0], at) >= 0 && minutesAfter(crew[0], at) <= 1, `NM-5 raised ${minutesAfter(crew[0], at)} min after the stop`)
  t.equal(crew.at(-1)?.body.transition, 'cleared', 'and cleared once the fan runs again')
  t.ok(minutesAfter(crew.at(-1), at) >= 60 && minutesAfter(crew.at(-1), at) <= 61)

  t.same(of(seen, 'power.fan.conflict').map((s) => s.body.transition), [], 'no fan/power conflict: both say stopped')
  // NM-5's alarm names every duty main fan it watches (points stay the same through its life): FAN-001 and FAN-003
  const dutyFans = (run.fleet.sites[0]?.points ?? []).filter((p) => p.def.attributes?.equipment === 'main_fan' && p.def.attributes.standby === false).map((p) => p.def.pointCode).join(',')
  t.equal(dutyFans, `${FAN_STOP.statusPoint},FAN-003`, 'the two duty main fans')
  exactly(t, seen, [
    ['ventilation.main_fan.stopped', 'raised', 'red', FAN_STOP.statusPoint],
    ['ventilation.main_fan.stopped', 'cleared', 'red', FAN_STOP.statusPoint],
    ['personnel.fan_stopped', 'raised', 'red', dutyFans],
    ['personnel.fan_stopped', 'cleared', 'red', dutyFans]
  ], 'the stop and NM-5, each raised and cleared once; nothing else of any category')
  recordLatency(t, [...stopped, ...crew])
})
