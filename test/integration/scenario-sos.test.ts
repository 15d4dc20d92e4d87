// scenario sos - a worker of the early shift presses SOS on the positioning card at 10:00. Expected: one
// personnel.sos alarm, red at once, naming the card, matched to the event's POST (its latency recorded); no
// other message of any category.
import t from 'tap'
import { peopleAt } from '../../src/tools/simulate/fleet/index.js'
import { SOS_SITE } from '../../src/tools/simulate/scenarios/sos.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { beijing, recordLatency, exactly, of, startScenarioRun } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario sos - red SOS alarm at once for the card', async (t) => {
  const start = beijing('09:58')
  const at = start + 2 * MIN
  const run = await startScenarioRun(t, { sites: [SOS_SITE], scenarios: ['sos'], start, at, stepMs: 20_000 })
  await run.runUntil(at + 3 * MIN)
  const seen = await run.settle()
  const site = run.fleet.sites[0]
  if (site?.positioning === undefined) throw new Error('no positioning')
  const card = peopleAt(SOS_SITE, site.positioning, at).find((p) => p.role === 'worker')?.card ?? ''

  const sos = of(seen, 'personnel.sos')
  t.same(sos.map((s) => [s.body.transition, s.body.level, s.subject]), [['raised', 'red', `minewatch.alarm.${SOS_SITE}.early_warning.red`]], 'one red SOS alarm')
  alarmCheck(t)(sos[0]?.body, 'the SOS alarm')
  t.match(sos[0]?.body, { siteCode: SOS_SITE, eventAt: new Date(at).toISOString(), late: false, hazardClause: null })
  t.match(sos[0]?.body.message, new RegExp(card), `the message names card ${card}`)
  exactly(t, seen, [['personnel.sos', 'raised', 'red', '']], 'the SOS alarm and nothing else, of any category')
  recordLatency(t, sos)
})
