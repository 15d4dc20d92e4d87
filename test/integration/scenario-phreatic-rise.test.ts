// scenario phreatic-rise - the phreatic line at PZ-03 of 大石河铁矿尾矿库 rises 1.5 m/h from 10:00 through its
// control depth. Expected: trend.phreatic.predict warns before the limit is reached; tailings.phreatic.depth
// raised orange at 1.1 × the control depth and escalated red at it, red carrying the 2022 criterion as hazard clause.
import t from 'tap'
import { buildFleet, fleetPoints } from '../../src/tools/simulate/fleet/index.js'
import { createScenario } from '../../src/tools/simulate/scenarios/index.js'
import { PHREATIC_RISE } from '../../src/tools/simulate/scenarios/phreatic-rise.js'
import { DEFAULT_SEED, valueAt } from '../../src/tools/simulate/signals.js'
import { alarmCheck } from '../helpers/alarm-watch.js'
import { beijing, recordLatency, exactly, of, startScenarioRun, steps } from '../helpers/scenario.js'

const MIN = 60_000

t.test('scenario phreatic-rise - predicted, then orange and red below the control depth', async (t) => {
  const start = beijing('09:50')
  const at = beijing('10:00')
  // one tailings period (10 min) a tick; power meters (60 s) are then up to 9 min old: late bound 15 min here
  const run = await startScenarioRun(t, { sites: [PHREATIC_RISE.site], scenarios: ['phreatic-rise'], start, at, stepMs: 10 * MIN, env: { MINEWATCH_LATE_AFTER_S: '900' } })
  await run.runUntil(at + 4 * 60 * MIN)
  const seen = await run.settle()
  const valid = alarmCheck(t)
  for (const s of seen) valid(s.body, `${s.body.ruleId} ${s.body.transition}`)

  // when the scenario's readings pass 1.1 × and 1.0 × the control depth
  const fleet = buildFleet()
  const point = fleetPoints(fleet).find((p) => p.site === PHREATIC_RISE.site && p.def.pointCode === PHREATIC_RISE.point)
  if (point === undefined) throw new Error('no point')
  const control = Number(point.def.attributes?.controlDepthM)
  const scenario = createScenario(['phreatic-rise'], { at, fleet, seed: DEFAULT_SEED })
  const site = fleet.sites.find((s) => s.code === PHREATIC_RISE.site)
  if (site === undefined) throw new Error('no site')
  const depthAt = (ts: number): number => scenario.override?.({ site, point, ts, value: valueAt(point, ts), status: 0 })?.value ?? NaN
  const first = (limit: number): string => {
    for (let ts = at; ts < at + 5 * 60 * MIN; ts += point.intervalS * 1000) if (depthAt(ts) <= limit) return new Date(ts).toISOString()
    return ''
  }

  const depth = of(seen, 'tailings.phreatic.depth')
  t.same(steps(depth), [['raised', 'orange', PHREATIC_RISE.point], ['escalated', 'red', PHREATIC_RISE.point]], 'orange, then red')
  t.match(depth[0]?.body, { category: 'over_limit', eventAt: first(1.1 * control), hazardClause: null }, 'orange is a warning: no hazard clause')
  t.match(depth[1]?.body, { eventAt: first(control), hazardClause: /浸润线埋深小于控制浸润线埋深/ }, 'red at the first reading at or below the control depth: the 2022 criterion')

  const predict = of(seen, 'trend.phreatic.predict')
  t.equal(predict[0]?.body.transition, 'raised', 'the trend predicts the crossing')
  t.ok(Date.parse(predict[0]?.body.eventAt ?? '') < Date.parse(depth[0]?.body.eventAt ?? ''), 'before the threshold alarm')
  exactly(t, seen, [
    ['trend.phreatic.predict', 'raised', 'yellow', PHREATIC_RISE.point],
    ['trend.phreatic.predict', 'escalated', 'orange', PHREATIC_RISE.point],
    ['tailings.phreatic.depth', 'raised', 'orange', PHREATIC_RISE.point],
    ['tailings.phreatic.depth', 'escalated', 'red', PHREATIC_RISE.point],
    ['tailings.rollup.item', 'raised', 'orange', ''],
    ['tailings.rollup.item', 'escalated', 'red', ''],
    ['tailings.rollup.site', 'raised', 'orange', ''],
    ['tailings.rollup.site', 'escalated', 'red', '']
  ], 'the phreatic line, its prediction and its roll-ups; nothing else of any category')
  recordLatency(t, depth)
})
