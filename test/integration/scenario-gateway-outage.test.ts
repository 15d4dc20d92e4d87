// scenario gateway-outage - the underground mine's gateway sends nothing for 15 min, then backfills what it
// missed; a CO leak (co-leak) starts with the outage, so the gateway holds it too. Expected: one
// connectivity.site.no_data alarm (orange fault) for the silence and no point alarms; the backfilled readings
// are stored with their own times, and what the engine decides from them is marked late (the CO alarm, raised
// and escalated from held readings), but only a fresh reading (within the 60 s late bound) clears the site
// alarm; no connectivity.site.silent_producing (no live channel showed the site alive, 15 min < 1 h). The
// video heartbeats come through the same gateway and stop with the readings: the site alarm is their cause
// too, so the video silence rules hold back (suppressWhile: connectivity.site.no_data) — no
// video.channel.offline, no video.online_rate, before or after the backfilled heartbeats (which show every
// camera online all along). Nothing else, of any category (no trend warning: co-leak's CO jumps like
// blasting fumes, which trend.co.steady_rise does not read as a rise).
import t from 'tap'
import { CO_LEAK } from '../../src/tools/simulate/scenarios/co-leak.js'
import { OUTAGE } from '../../src/tools/simulate/scenarios/gateway-outage.js'
import { isoBeijing } from '../../src/tools/simulate/time.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { auth } from '../helpers/app.js'
import { beijing, recordLatency, exactly, of, startScenarioRun, steps } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario gateway-outage - one site no-data alarm; alarms from the backfill late, a fresh reading clears', async (t) => {
  const start = beijing('09:58')
  const at = start + 2 * MIN
  const run = await startScenarioRun(t, { sites: [OUTAGE.site], scenarios: ['gateway-outage', 'co-leak'], start, at, stepMs: MIN })
  await run.runUntil(at + 14 * MIN)
  t.equal(run.feed.stats().pending > 0, true, 'readings held during the outage')
  const during = await run.settle()
  // the NVR's heartbeats share the gateway's uplink and have been missing for more than 3 min (silentFor):
  // the site alarm stands for them, no video offline or online-rate alarm repeats it
  const channels = (run.fleet.sites[0]?.channels ?? []).map((c) => c.channelCode)
  t.equal(channels.length, 12, `${OUTAGE.site} has 12 video channels, silent with the gateway`)
  exactly(t, during, [['connectivity.site.no_data', 'raised', 'orange', '']],
    'during the outage: one site alarm; no video silence alarm, no point alarm, no CO alarm (its readings are held), nothing else')
  // the board groups the outage: one link alarm, every point of the site marked offline under it
  const link = (await run.app.inject({ method: 'GET', url: `/v1/sites/${OUTAGE.site}/link`, headers: auth('operator') })).json()
  const linkAlarm = during.find((s) => s.body.ruleId === 'connectivity.site.no_data')?.body.alarmId
  t.match(link.link, { state: 'offline', alarmId: linkAlarm })
  t.ok(link.points.length > 10, `${link.points.length as number} points listed`)
  t.ok(link.points.every((p: any) => p.state === 'offline' && p.because === 'site_link' && p.alarmId === linkAlarm), 'every point offline under the one link alarm')
  t.ok(link.points.every((p: any) => p.lastTs !== null), 'each with its last reading before the outage')
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
  const back = (await run.app.inject({ method: 'GET', url: `/v1/sites/${OUTAGE.site}/link`, headers: auth('operator') })).json()
  t.same([back.link.state, [...new Set(back.points.map((p: any) => p.state))]], ['online', ['online']], 'the link back: every point online')
  t.equal(run.feed.stats().rejected, 0, 'and accepted')
  const co = of(seen, 'gas.co.limit')
  t.same(co.map((s) => [s.body.transition, s.body.level, s.body.late]), [['raised', 'yellow', true], ['escalated', 'red', true]], 'the CO alarm from backfilled readings: late')
  t.ok(co.every((s) => Date.parse(s.body.detectedAt) >= at + OUTAGE.durationMs), 'detected only once the backfill arrives')
  // the backfilled heartbeats say online, and the channels are judged afresh once the site is back: nothing
  exactly(t, seen, [
    ['connectivity.site.no_data', 'raised', 'orange', ''],
    ['connectivity.site.no_data', 'cleared', 'orange', ''],
    ['gas.co.limit', 'raised', 'yellow', CO_LEAK.point],
    ['gas.co.limit', 'escalated', 'red', CO_LEAK.point]
  ], 'the whole run: no video silence alarm, no silent_producing, no point no-data, no trend, nothing else of any category')
  t.same(seen.map((s) => s.body.hazardClause), seen.map(() => null), 'a 15 min outage with nothing else arriving is no major-hazard candidate')
  recordLatency(t, [...site.slice(1), ...co])
})
