// scenario gateway-outage - the underground mine's gateway sends nothing for 15 min, then backfills what it
// missed; a CO leak (co-leak) starts with the outage, so the gateway holds it too. Expected: one
// connectivity.site.no_data alarm (orange fault) for the silence and no point alarms; the backfilled readings
// are stored with their own times, and what the engine decides from them is marked late (the CO alarm, raised
// and escalated from held readings), but only a fresh reading (within the 60 s late bound) clears the site
// alarm; no connectivity.site.silent_producing (no live channel showed the site alive, 15 min < 1 h).
import t from 'tap'
import { OUTAGE } from '../../src/simulate/scenarios/gateway-outage.js'
import { isoBeijing } from '../../src/simulate/time.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { auth } from '../helpers/app.js'
import { beijing, checkLatency, of, startScenarioRun, steps } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario gateway-outage - one site no-data alarm; alarms from the backfill late, a fresh reading clears', async (t) => {
  const start = beijing('09:58')
  const at = start + 2 * MIN
  const run = await startScenarioRun(t, { sites: [OUTAGE.site], scenarios: ['gateway-outage', 'co-leak'], start, at, stepMs: MIN })
  await run.runUntil(at + 14 * MIN)
  t.equal(run.feed.stats().pending > 0, true, 'readings held during the outage')
  const during = await run.settle()
  t.same(steps(of(during, 'connectivity.site.no_data')), [['raised', 'orange', '']], 'the silence raises one site alarm')
  t.same(of(during, 'connectivity.point.no_data'), [], 'and no point alarms')
  t.same(of(during, 'gas.co.limit'), [], 'the leak is not known yet: its readings are held')
  await run.runUntil(at + 20 * MIN)
  const seen = await run.settle()
  const valid = alarmCheck(t)
  for (const s of seen) valid(s.body, `${s.body.ruleId} ${s.body.transition}`)

  const site = of(seen, 'connectivity.site.no_data')
  t.same(steps(site), [['raised', 'orange', ''], ['cleared', 'orange', '']])
  // the last readings sent were those of the 09:59 tick; the site's shortest interval is 20 s, 3 missed periods
  t.match(site[0]?.body, { category: 'fault', siteCode: OUTAGE.site, late: false, startedAt: new Date(at).toISOString() })
  t.ok(Date.parse(site[1]?.body.detectedAt ?? '') >= at + OUTAGE.durationMs, `cleared when the gateway is back (${site[1]?.body.detectedAt ?? ''}; outage ends ${isoBeijing(at + OUTAGE.durationMs)})`)
  t.match(site[1]?.body, { late: false, eventAt: new Date(at + 14 * MIN).toISOString() }, 'by the first backfilled reading within the late bound (60 s), not by older ones')
  const stored = await run.app.inject({
    method: 'GET',
    url: `/v1/sites/${OUTAGE.site}/points/CO-001/readings?from=${encodeURIComponent(isoBeijing(at))}&to=${encodeURIComponent(isoBeijing(at + OUTAGE.durationMs - 1))}`,
    headers: auth('operator')
  })
  t.equal(stored.json().readings.length, 45, 'the missed readings of the outage are stored with their own times (15 min × 3)')
  t.equal(run.feed.stats().pending, 0, 'everything backfilled')
  t.equal(run.feed.stats().rejected, 0, 'and accepted')
  const co = of(seen, 'gas.co.limit')
  t.same(co.map((s) => [s.body.transition, s.body.level, s.body.late]), [['raised', 'yellow', true], ['escalated', 'red', true]], 'the CO alarm from backfilled readings: late')
  t.ok(co.every((s) => Date.parse(s.body.detectedAt) >= at + OUTAGE.durationMs), 'detected only once the backfill arrives')
  // the NVR's heartbeats share the uplink: its channels go offline with the site (video rules' own business)
  const video = seen.filter((s) => s.body.ruleId.startsWith('video.'))
  t.comment(`video messages during the outage: ${video.map((s) => `${s.body.ruleId} ${s.body.transition}`).join(', ')}`)
  t.ok(video.every((s) => ['video.channel.offline', 'video.online_rate'].includes(s.body.ruleId)), 'video: only channel offline and online rate')
  t.same(seen.filter((s) => !s.body.ruleId.startsWith('video.') && !['connectivity.site.no_data', 'gas.co.limit'].includes(s.body.ruleId) && s.body.category !== 'early_warning')
    .map((s) => `${s.body.ruleId} ${s.body.transition}`), [], 'no silent_producing, no point no-data, nothing else')
  checkLatency(t, [...site.slice(1), ...co])
})
