// scenario suspension-production (明停暗开) - the underground mine is set to suspended at 10:00 while its power,
// people and video say production goes on. Expected: personnel.during_suspension (64 people > the allowance
// of 5) after its 10 min dwell, video.suspension_activity on the first belt_running event (+5 min), and
// power.suspension.production orange once 30 min of 15-min windows look like production; no other message of
// any category.
import t from 'tap'
import { SUSPENSION } from '../../src/tools/simulate/scenarios/suspension-production.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { beijing, recordLatency, exactly, minutesAfter, of, startScenarioRun } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario suspension-production - power, people and video contradict the suspension', async (t) => {
  const start = beijing('09:58')
  const at = start + 2 * MIN
  // a tick every two simulated minutes: readings up to 100 s old, so the late bound is 5 min here
  const run = await startScenarioRun(t, { sites: [SUSPENSION.site], scenarios: ['suspension-production'], start, at, stepMs: 2 * MIN, env: { MINEWATCH_LATE_AFTER_S: '300' } })
  await run.runUntil(at + 62 * MIN)
  const seen = await run.settle()
  const valid = alarmCheck(t)
  for (const s of seen) valid(s.body, `${s.body.ruleId} ${s.body.transition}`)
  const site = await run.app.inject({ method: 'GET', url: `/v1/sites/${SUSPENSION.site}`, headers: { authorization: 'Bearer test-operator-token-0123456789' } })
  t.equal(site.json().status, 'suspended', 'the site is suspended')

  const people = of(seen, 'personnel.during_suspension')
  t.same(people.map((s) => [s.body.transition, s.body.level]), [['raised', 'orange']], 'people underground during the suspension')
  t.match(people[0]?.body, { category: 'violation', value: 64, limit: 5 })
  t.ok(minutesAfter(people[0], at) >= 10 && minutesAfter(people[0], at) <= 11, `after the 10 min dwell (${minutesAfter(people[0], at)} min)`)

  const video = of(seen, 'video.suspension_activity')
  t.equal(video[0]?.body.transition, 'raised', 'video activity during the suspension')
  t.match(video[0]?.body, { category: 'violation', level: 'orange', siteCode: SUSPENSION.site })
  t.equal(minutesAfter(video[0], at), 5, 'on the first belt_running event')

  const power = of(seen, 'power.suspension.production')
  t.same(power.map((s) => [s.body.transition, s.body.level]), [['raised', 'orange']], 'power profile of production')
  t.match(power[0]?.body, { category: 'violation', hazardClause: null })
  t.ok(minutesAfter(power[0], at) >= 30 && minutesAfter(power[0], at) <= 60, `after 30 min of production-like windows (${minutesAfter(power[0], at)} min)`)

  exactly(t, seen, [
    ['personnel.during_suspension', 'raised', 'orange', ''],
    ['video.suspension_activity', 'raised', 'orange', ''],
    ['power.suspension.production', 'raised', 'orange', '']
  ], 'the three contradictions, each raised once; nothing else of any category')
  recordLatency(t, [people[0], video[0]].filter((s) => s !== undefined))
})
