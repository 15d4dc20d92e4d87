// alarms flow - the conditions besides a plain threshold, end to end on a real QuestDB and nats-server:
// no data from a point and from a whole site (DQ-3..DQ-5), device status (calibration suppresses thresholds,
// sensor fault raises a fault: DQ-1/DQ-2) and late data (section 6: late: true). Time is virtual (the app's
// clock and scheduler seams) and the test moves it: a 200 ms no-data check, points reporting every second, a
// gateway's heartbeat posted at each 250 ms step. Silence, lateness and detectedAt are exact, and "nothing
// happened" is checked once the AlarmLedger has seen every transition the alarm service made arrive.
import t from 'tap'
import type { ConditionChange } from '../../src/4-evaluate/types.js'
import { clockOf } from '../../src/lib/clock.js'
import { advanceTo, createReplayScheduler } from '../../src/lib/virtual-time.js'
import { startServices } from '../helpers/services.js'
import { buildTestApp } from '../helpers/app.js'
import { AlarmLedger, AlarmWatch, alarmCheck, readStream } from '../helpers/alarm-watch.js'
import { call, injectCall, registerCoSite, sendReadings, type Reading } from '../helpers/api.js'
import { coRulesDir, ENGINE_ENV } from '../helpers/rules.js'

t.test('alarms flow - no data, device status and late data', async (t) => {
  const services = await startServices(t)
  const scheduler = createReplayScheduler(Math.floor(Date.now() / 1000) * 1000)
  const now = (): number => scheduler.now()
  const app = await buildTestApp(t, {
    qdb: services.qdb,
    nats: services.nats,
    clock: clockOf(scheduler),
    scheduler,
    // for: 0s here: these tests are about the conditions, not the dwell (alarm-flow.test.ts covers that)
    env: { MINEWATCH_RULES_DIR: await coRulesDir(t, 'minewatch-conditions-rules-', '0s'), ...ENGINE_ENV }
  })
  const ledger = AlarmLedger.attach(t, app)
  const watch = await AlarmWatch.open(services.nats.url)
  t.teardown(() => watch.close())
  const valid = alarmCheck(t)
  // Every condition change of the engine, to check exactly what a batch (evaluated inside the POST) did.
  const changes: ConditionChange[] = []
  const sub = app.engine.core.changes$.subscribe((c) => { changes.push(c) })
  t.teardown(() => sub.unsubscribe())
  const changesOf = (site: string): ConditionChange[] => changes.filter((c) => c.siteCode === site)

  const api = injectCall(app)
  const register = async (site: string, codes: string[], intervalS: number): Promise<void> => await registerCoSite(t, api, site, codes, { intervalS, named: false })
  const post = async (site: string, readings: Reading[]): Promise<void> => await sendReadings(t, api, site, readings)
  // Virtual time moves on 250 ms a step (the no-data checks due run at their times), a gateway posting each
  // point of `beats` at every step, until `done` holds: bounded in virtual time, so a missing alarm fails fast.
  const STEP_MS = 250
  const stepUntil = async (done: () => boolean, what: string, beats: Array<[site: string, point: string]> = [], maxMs = 20_000): Promise<void> => {
    const until = now() + maxMs
    while (!done()) {
      if (now() >= until) throw new Error(`${what}: not within ${maxMs} ms of virtual time`)
      advanceTo(scheduler, now() + STEP_MS)
      for (const [site, point] of beats) await post(site, [{ point, ts: now(), value: 5 }])
    }
  }
  const raisedOf = (site: string, key: string) => () => changesOf(site).some((c) => c.key === key && c.level !== null)

  await t.test('a silent point raises a fault alarm, and a fresh reading clears it', async (t) => {
    const SITE = 'OFF-1'
    await register(SITE, ['CO-1', 'CO-2'], 1)
    const last = now()
    await post(SITE, [{ point: 'CO-1', ts: last, value: 5 }, { point: 'CO-2', ts: last, value: 5 }])
    // CO-2's gateway keeps reporting every step; CO-1 says nothing more
    await stepUntil(raisedOf(SITE, `connectivity.point.no_data|${SITE}|CO-1`), 'CO-1 no-data raised', [[SITE, 'CO-2']])

    const raised = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.transition === 'raised', 'point no-data raised')
    t.equal(raised.subject, `minewatch.alarm.${SITE}.fault.yellow`)
    t.equal(raised.msgId, `${raised.body.alarmId}:1`)
    valid(raised.body, 'the no-data raise')
    t.match(raised.body, {
      seq: 1,
      category: 'fault',
      level: 'yellow',
      siteCode: SITE,
      points: ['CO-1'],
      ruleId: 'connectivity.point.no_data',
      value: null,
      limit: null,
      late: false,
      hazardClause: null,
      active: true,
      state: 'open',
      // the silence is established 3 × intervalS after the last reading
      startedAt: new Date(last + 3000).toISOString()
    })
    const detected = Date.parse(raised.body.detectedAt)
    t.ok(detected - last > 3000, `raised only after more than 3 s without data (${detected - last} ms)`)
    t.equal(detected, now(), 'detected at the step whose no-data check found the silence')

    const fresh = now()
    await post(SITE, [{ point: 'CO-1', ts: fresh, value: 6 }])
    const cleared = await watch.waitFor((s) => s.body.alarmId === raised.body.alarmId && s.body.seq === 2, 'point no-data cleared')
    valid(cleared.body, 'the no-data clear')
    t.equal(cleared.subject, `minewatch.alarm.${SITE}.fault.yellow`)
    t.equal(cleared.msgId, `${raised.body.alarmId}:2`)
    t.match(cleared.body, { transition: 'cleared', points: ['CO-1'], active: false, state: 'open', eventAt: new Date(fresh).toISOString() })
    await ledger.settled(watch)
    t.same(watch.forSite(SITE).filter((s) => s.body.points[0] !== 'CO-1' || s.body.alarmId !== raised.body.alarmId), [],
      'nothing else for the site: the reporting point and the site stay quiet')
  })

  await t.test('a whole silent site raises one site alarm and no point alarms', async (t) => {
    const SITE = 'DARK-1'
    await register(SITE, ['P1', 'P2', 'P3'], 1)
    const last = now()
    await post(SITE, [{ point: 'P1', ts: last, value: 5 }, { point: 'P2', ts: last, value: 5 }, { point: 'P3', ts: last, value: 5 }])
    await stepUntil(raisedOf(SITE, `connectivity.site.no_data|${SITE}|*`), 'site no-data raised')

    const raised = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.transition === 'raised', 'site no-data raised')
    t.equal(raised.subject, `minewatch.alarm.${SITE}.fault.orange`)
    valid(raised.body, 'the site no-data raise')
    t.match(raised.body, {
      seq: 1,
      category: 'fault',
      level: 'orange',
      siteCode: SITE,
      points: [],
      ruleId: 'connectivity.site.no_data',
      value: null,
      limit: null,
      late: false,
      startedAt: new Date(last + 3000).toISOString()
    })
    // Several more no-data checks (every 200 ms) pass while the site stays silent: still one alarm.
    advanceTo(scheduler, now() + 1500)
    t.same(changesOf(SITE).map((c) => c.key), [`connectivity.site.no_data|${SITE}|*`], 'the engine raised the site condition only')
    await ledger.settled(watch)
    t.same(watch.forSite(SITE).map((s) => s.msgId), [`${raised.body.alarmId}:1`], 'one message for the site')
    const open = await call(app, 'GET', `/v1/alarms?site=${SITE}`, 'operator')
    t.match(open.body.alarms, [{ alarmId: raised.body.alarmId, points: [], level: 'orange', category: 'fault' }])
    t.equal(open.body.alarms.length, 1, 'one open alarm for the site')

    const fresh = now()
    await post(SITE, [{ point: 'P1', ts: fresh, value: 5 }, { point: 'P2', ts: fresh, value: 5 }, { point: 'P3', ts: fresh, value: 5 }])
    const cleared = await watch.waitFor((s) => s.body.alarmId === raised.body.alarmId && s.body.seq === 2, 'site no-data cleared')
    valid(cleared.body, 'the site no-data clear')
    t.match(cleared.body, { transition: 'cleared', points: [], active: false })
  })

  await t.test('calibration (status 4) keeps the CO threshold off but shows a blue fault', async (t) => {
    const SITE = 'DEV-1'
    await register(SITE, ['CO-CAL', 'CO-SF'], 60)
    const t0 = now() - 10_000
    await post(SITE, [{ point: 'CO-CAL', ts: t0, value: 40, status: 4 }])
    t.same(changesOf(SITE).map((c) => [c.key, c.level]), [[`device.calibration|${SITE}|CO-CAL`, 'blue']], 'only the calibration condition')

    const cal = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.ruleId === 'device.calibration', 'calibration raised')
    t.equal(cal.subject, `minewatch.alarm.${SITE}.fault.blue`)
    valid(cal.body, 'the calibration raise')
    t.match(cal.body, { transition: 'raised', category: 'fault', level: 'blue', points: ['CO-CAL'], value: 40, limit: null, startedAt: new Date(t0).toISOString() })
    await post(SITE, [{ point: 'CO-CAL', ts: t0 + 1000, value: 45, status: 4 }])
    await ledger.settled(watch)
    t.same(watch.forSite(SITE).map((s) => s.body.ruleId), ['device.calibration'], 'no over_limit alarm while calibrating')

    // calibration over, the gas is real: the threshold applies again
    await post(SITE, [{ point: 'CO-CAL', ts: t0 + 2000, value: 40, status: 0 }])
    const over = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.category === 'over_limit', 'over_limit after calibration')
    t.equal(over.subject, `minewatch.alarm.${SITE}.over_limit.yellow`)
    t.match(over.body, { transition: 'raised', points: ['CO-CAL'], value: 40, limit: 24 })
    const calCleared = await watch.waitFor((s) => s.body.alarmId === cal.body.alarmId && s.body.seq === 2, 'calibration cleared')
    t.match(calCleared.body, { transition: 'cleared', level: 'blue', active: false })
  })

  await t.test('a sensor fault (status 128) raises a fault alarm and keeps the threshold off', async (t) => {
    const SITE = 'DEV-1'
    const t0 = now() - 10_000
    const before = changesOf(SITE).length
    await post(SITE, [{ point: 'CO-SF', ts: t0, value: 300, status: 128 }])
    t.same(changesOf(SITE).slice(before).map((c) => [c.key, c.level]), [[`device.sensor_fault|${SITE}|CO-SF`, 'yellow']], 'only the sensor fault')
    const fault = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.ruleId === 'device.sensor_fault', 'sensor fault raised')
    t.equal(fault.subject, `minewatch.alarm.${SITE}.fault.yellow`)
    valid(fault.body, 'the sensor fault raise')
    t.match(fault.body, { transition: 'raised', category: 'fault', level: 'yellow', points: ['CO-SF'], value: 300, title: '传感器故障' })

    await post(SITE, [{ point: 'CO-SF', ts: t0 + 1000, value: 5, status: 0 }])
    const cleared = await watch.waitFor((s) => s.body.alarmId === fault.body.alarmId && s.body.seq === 2, 'sensor fault cleared')
    t.match(cleared.body, { transition: 'cleared', active: false })
    await ledger.settled(watch)
    t.same(watch.forSite(SITE).filter((s) => s.body.points[0] === 'CO-SF').map((s) => s.body.ruleId), ['device.sensor_fault', 'device.sensor_fault'],
      'no over_limit alarm from a faulty sensor\'s 300 ppm')
  })

  await t.test('an alarm found from late data is marked late', async (t) => {
    const SITE = 'LATE-1'
    // intervalS 600: five-minute-old data does not make the point silent (3 × 600 s)
    await register(SITE, ['CO-L'], 600)
    const old = now() - 5 * 60_000
    await post(SITE, [{ point: 'CO-L', ts: old, value: 31 }, { point: 'CO-L', ts: old + 1000, value: 32 }])
    const raised = await watch.waitFor((s) => s.body.siteCode === SITE && s.body.transition === 'raised', 'late raise')
    valid(raised.body, 'the late raise')
    t.equal(raised.subject, `minewatch.alarm.${SITE}.over_limit.yellow`)
    t.match(raised.body, { late: true, value: 31, limit: 24, startedAt: new Date(old).toISOString(), points: ['CO-L'] })
    t.equal(Date.parse(raised.body.detectedAt) - old, 5 * 60_000, 'detected now, started five minutes ago')
    const listed = await call(app, 'GET', `/v1/alarms?site=${SITE}`, 'operator')
    t.match(listed.body.alarms, [{ alarmId: raised.body.alarmId, late: true }])

    await post(SITE, [{ point: 'CO-L', ts: now(), value: 10 }])
    const cleared = await watch.waitFor((s) => s.body.alarmId === raised.body.alarmId && s.body.seq === 2, 'live clear')
    t.match(cleared.body, { transition: 'cleared', late: false, value: 10 }, 'a transition from live data is not late')
  })

  await t.test('every transition is in the JetStream stream once, with Nats-Msg-Id = alarmId:seq', async (t) => {
    // time stands still between steps: once every transition made has arrived, nothing more can be published
    await ledger.settled(watch)
    const published = watch.seen.map((s) => s.msgId)
    const stream = await readStream(watch.nc)
    const stored = stream.map((m) => m.msgId)
    t.ok(published.length >= 11, `${published.length} transitions seen`)
    t.same(published.filter((id) => !stored.includes(id)), [], 'the stream holds every transition subscribers saw')
    t.same([...stored].sort(), [...published].sort(), 'and nothing else')
    t.equal(new Set(stored).size, stored.length, 'no duplicates')
    t.ok(stream.every((m) => m.msgId === `${m.body.alarmId}:${m.body.seq}`), 'Nats-Msg-Id = alarmId:seq')
  })
})
