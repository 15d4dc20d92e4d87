// The acceptance run of a clean day: all three mines, their tailings ponds and the waste dump at the seed's
// counts (video, gas, ventilation, positioning, slopes, power), 24 h of simulated time compressed into a
// couple of minutes, through the HTTP API into the real server with every rule of rules/. A clean day must
// raise nothing: any alarm here is a false alarm, of whatever category. A silent publisher or a deaf watch
// would pass that too, so a control site of the test's own posts one CO reading over the limit through the same
// server at the start and at the end of the day, and the watch must hear both control alarms.
import t from 'tap'
import { call } from '../helpers/api.js'
import { beijing, startScenarioRun } from '../helpers/scenario.js'

const HOUR = 3_600_000
const HOURS = Number(process.env.CLEAN_DAY_HOURS ?? 24)
/** the control site: not of the fleet; its two CO points report once a week, so they are never silent in a day */
const CONTROL = 'CONTROL-1'

// a day of six sites takes minutes, not the default three: the root's timeout is what the runner enforces
t.setTimeout(20 * 60_000)

t.test('clean day - 24 h of the whole simulated fleet through the server raises no alarm', async (t) => {
  const start = beijing('00:00', 2)
  // five-minute steps carry fifteen readings of each 20 s point (the harness runs the periodic checks after a
  // step's data, so a step is not a data gap); the late bound covers the step
  const run = await startScenarioRun(t, { scenarios: [], start, at: start, stepMs: 300_000, env: { MINEWATCH_LATE_AFTER_S: '600' } })
  t.equal((await call(run.app, 'PUT', `/v1/sites/${CONTROL}`, 'admin', { name: '对照矿', kind: 'underground', status: 'producing' })).status, 200, 'control site')
  const controlPoints = ['CO-START', 'CO-END'].map((pointCode) => ({ pointCode, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 604_800, range: [0, 1000] }))
  t.equal((await call(run.app, 'PUT', `/v1/sites/${CONTROL}/points`, 'admin', controlPoints)).status, 200, 'control points')
  // 30 ppm on a control point, now in simulated time: gas.co.limit (yellow at 24, no dwell) must be heard
  const control = async (point: string): Promise<void> => {
    const res = await call(run.app, 'POST', '/v1/readings', 'gateway', { siteCode: CONTROL, readings: [{ point, ts: run.now(), value: 30 }] })
    t.same([res.status, res.body?.accepted], [200, 1], `control reading on ${point} accepted`)
    const heard = await run.watch.waitFor((s) => s.body.siteCode === CONTROL && s.body.points[0] === point, `the control alarm on ${point}`)
    t.match(heard.body, { ruleId: 'gas.co.limit', transition: 'raised', level: 'yellow', value: 30 }, `the watch hears the control alarm on ${point}`)
  }
  await control('CO-START')
  const began = Date.now()
  for (let h = 1; h <= HOURS; h++) {
    await run.runUntil(start + h * HOUR)
    if (h % 4 === 0) t.comment(`${h} h simulated after ${((Date.now() - began) / 1000).toFixed(0)} s`)
  }
  await control('CO-END')
  const all = await run.settle()
  t.same(all.filter((a) => a.body.siteCode === CONTROL).map((a) => `${a.body.ruleId} ${a.body.transition} ${a.body.points.join(',')}`),
    ['gas.co.limit raised CO-START', 'gas.co.limit raised CO-END'], 'the control site: its two control alarms and nothing else')
  const seen = all.filter((a) => a.body.siteCode !== CONTROL)
  const s = run.feed.stats()
  t.comment(`${HOURS} h simulated in ${((Date.now() - began) / 1000).toFixed(0)} s: ${s.accepted} readings and ${s.inputs} other inputs accepted, ${seen.length} alarm messages`)
  t.equal(s.rejected, 0, 'no reading rejected')
  t.equal(s.failures, 0, 'no failed request')
  // every point reports once per interval: the whole day, give or take the reading at either end
  const points = run.fleet.sites.flatMap((x) => x.points)
  const due = points.reduce((n, p) => n + Math.floor(HOURS * HOUR / (p.def.intervalS * 1000)), 0)
  t.ok(Math.abs(s.accepted - due) <= points.length, `every point all day: ${s.accepted} readings accepted, ${due} due (${points.length} points)`)
  t.same(seen.map((a) => `${a.body.ruleId} ${a.body.transition} ${a.body.level} ${a.body.siteCode} ${a.body.points.join(',')} ${a.body.eventAt}`), [], 'false alarms: none')
  const rules = run.app.engine.rules()
  t.ok(rules.rules.length >= 70 && rules.errors.length === 0, `all ${rules.rules.length} rules of rules/ loaded without error`)
  const failing = run.app.engine.core.health().filter((h) => h.health === 'err')
  t.same(failing.map((h) => `${h.ruleId}: ${h.lastError ?? ''}`), [], 'no rule failed')
})
