import t from 'tap'
import { buildFleet, fleetPoints, type FleetPoint } from '../../../../src/tools/simulate/fleet/index.js'
import { DEFAULT_SEED, valueAt } from '../../../../src/tools/simulate/signals.js'
import { loadConfig } from '../../../../src/server/config/load.js'
import { parseDuration } from '../../../../src/lib/duration.js'
import { combine, createScenario, parseScenarioNames, SCENARIOS, type Scenario } from '../../../../src/tools/simulate/scenarios/index.js'
import { CO_FIRE } from '../../../../src/tools/simulate/scenarios/co-fire.js'
import { CO_LEAK } from '../../../../src/tools/simulate/scenarios/co-leak.js'
import { FAN_STOP } from '../../../../src/tools/simulate/scenarios/fan-stop.js'
import { failureTime, SLOPE_FAILURE } from '../../../../src/tools/simulate/scenarios/slope-failure.js'
import { PHREATIC_RISE } from '../../../../src/tools/simulate/scenarios/phreatic-rise.js'
import { FROZEN } from '../../../../src/tools/simulate/scenarios/frozen-sensor.js'
import { demoScenario as scenarioOf } from '../../../../src/tools/simulate/scenarios/env.js'
import type { Fleet } from '../../../../src/tools/simulate/fleet/index.js'

const fleet = buildFleet()
const points = fleetPoints(fleet)
const MIN = 60_000
const HOUR = 60 * MIN
// 10:00 Beijing time: the early shift is underground
const AT = Date.parse('2026-11-21T10:00:00+08:00')

// the simulator's reading of an offset (--at, MINEWATCH_DEMO_SCENARIO_AT): a bare number is seconds
const parseOffset = (text: string): number => parseDuration(text, { bare: 's', what: 'offset' })
// the demo feed's scenario from an environment, through the configuration as main.ts takes it
const demoScenario = (env: Record<string, string>, fleet: Fleet, now: number): Scenario | undefined => scenarioOf(loadConfig(env).demoScenario, fleet, now)

function point (site: string, code: string): FleetPoint {
  const p = points.find((x) => x.site === site && x.def.pointCode === code)
  if (p === undefined) throw new Error(`${site}/${code} not in the fleet`)
  return p
}

/** the value the feed sends for `p` at ts under `scenario` (undefined: dropped) */
function sent (scenario: Scenario, p: FleetPoint, ts: number): number | undefined {
  const site = fleet.sites.find((s) => s.code === p.site)
  if (site === undefined) throw new Error('no site')
  const clean = valueAt(p, ts)
  const r = scenario.override?.({ site, point: p, ts, value: clean, status: 0 })
  return r === null ? undefined : (r?.value ?? clean)
}

const series = (scenario: Scenario, p: FleetPoint, from: number, to: number): Array<[number, number | undefined]> => {
  const out: Array<[number, number | undefined]> = []
  for (let ts = from; ts <= to; ts += p.intervalS * 1000) out.push([ts, sent(scenario, p, ts)])
  return out
}

const make = (name: string, at = AT): Scenario => createScenario([name], { at, fleet, seed: DEFAULT_SEED })

t.test('scenarios - registry: names, parsing, offsets', async (t) => {
  t.same([...SCENARIOS.keys()], ['co-leak', 'fan-stop', 'slope-failure', 'phreatic-rise', 'overcrowding', 'suspension-production', 'frozen-sensor', 'gateway-outage', 'sos', 'co-fire'])
  t.same(parseScenarioNames(' co-leak, sos ,co-leak'), ['co-leak', 'sos'])
  t.throws(() => parseScenarioNames('co-leak,quake'), /unknown scenario "quake"/)
  t.throws(() => parseScenarioNames(','), /\(none given\)/)
  t.same(['90s', '90', '10m', '1.5h'].map(parseOffset), [90_000, 90_000, 600_000, 5_400_000])
  t.throws(() => parseOffset('-5m'), /not a duration/)
  for (const d of SCENARIOS.values()) t.equal(d.create({ at: AT, fleet, seed: DEFAULT_SEED }).name, d.name, `${d.name} builds`)
})

t.test('scenarios - co-leak: CO ramps past 160 ppm in 10 min, holds, then clears; other points stay clean', async (t) => {
  const s = make('co-leak')
  const co = point(CO_LEAK.site, CO_LEAK.point)
  t.equal(sent(s, co, AT - 20_000), valueAt(co, AT - 20_000), 'clean before')
  const ramp = series(s, co, AT, AT + 10 * MIN).map(([, v]) => v as number)
  t.ok(ramp[0] as number < 15, `starts at the clean level (${ramp[0]})`)
  t.ok(ramp.every((v, i) => i === 0 || v > (ramp[i - 1] as number)), 'rises monotonically')
  const firstOver = (limit: number): number => series(s, co, AT, AT + 30 * MIN).find(([, v]) => (v as number) >= limit)?.[0] ?? NaN
  t.ok(firstOver(24) - AT <= 2 * MIN, `over 24 ppm within 2 min (${(firstOver(24) - AT) / 1000} s)`)
  const red = firstOver(160)
  t.ok(red - AT > 5 * MIN && red - AT <= 10 * MIN, `over 160 ppm after ${(red - AT) / MIN} min`)
  const hold = series(s, co, AT + 10 * MIN, AT + 30 * MIN - 20_000).map(([, v]) => v as number)
  t.ok(hold.every((v) => v > 175 && v < 195), 'holds around 185 ppm for 20 min')
  t.ok((sent(s, co, AT + 44 * MIN + 40_000) as number) < 20, 'back under the yellow release by the end of the decay')
  t.equal(sent(s, co, AT + 45 * MIN), valueAt(co, AT + 45 * MIN), 'clean afterwards')
  const other = point(CO_LEAK.site, 'CO-006')
  t.same(series(s, other, AT, AT + 30 * MIN), series(make('sos'), other, AT, AT + 30 * MIN), 'a neighbouring CO point is untouched')
})

t.test('scenarios - co-fire: CO rises a steady 1.2 ppm/min for 25 min past 24 ppm, holds 10 min, then clears', async (t) => {
  const s = make('co-fire')
  const co = point(CO_FIRE.site, CO_FIRE.point)
  t.equal(sent(s, co, AT - 20_000), valueAt(co, AT - 20_000), 'clean before')
  const extra = series(s, co, AT, AT + 25 * MIN - 20_000).map(([ts, v]) => (v as number) - valueAt(co, ts))
  t.ok(extra.every((e, i) => Math.abs(e - 1.2 * i / 3) < 0.06), 'clean plus 1.2 ppm a minute: the sensor\'s noise rides on the rise')
  const over = series(s, co, AT, AT + 30 * MIN).find(([, v]) => (v as number) >= 24)?.[0] ?? NaN
  t.ok(over - AT > 12 * MIN && over - AT < 22 * MIN, `over 24 ppm after ${(over - AT) / MIN} min: time for an early warning`)
  t.ok(series(s, co, AT, AT + 50 * MIN).every(([, v]) => (v as number) < 60), 'a fire\'s CO, far from the red 160 ppm')
  t.equal(sent(s, co, AT + 50 * MIN), valueAt(co, AT + 50 * MIN), 'clean afterwards')
})

t.test('scenarios - fan-stop: the fan reads stopped and its feeder ~0 kW for an hour; the other fan runs on', async (t) => {
  const s = make('fan-stop')
  const status = point(FAN_STOP.site, FAN_STOP.statusPoint)
  const power = point(FAN_STOP.site, FAN_STOP.powerPoint)
  t.equal(sent(s, status, AT - 20_000), 1, 'running before')
  t.ok((sent(s, power, AT - 60_000) as number) > 250, 'drawing power before')
  t.ok(series(s, status, AT, AT + HOUR - 20_000).every(([, v]) => v === 0), 'fan_status 0 for the hour')
  const kw = series(s, power, AT, AT + HOUR - 60_000).map(([, v]) => v as number)
  t.ok(kw.every((v) => v >= 0 && v < 2), `feeder under 2 kW (max ${Math.max(...kw)})`)
  t.equal(sent(s, status, AT + HOUR), 1, 'running again after the hour')
  t.equal(sent(s, point(FAN_STOP.site, 'FAN-003'), AT + 10 * MIN), 1, 'the west fan runs on')
  t.equal(status.def.attributes?.fan, power.def.attributes?.fan)
})

t.test('scenarios - slope-failure: inverse velocity falls linearly to zero at the failure time', async (t) => {
  const s = make('slope-failure')
  const p = point(SLOPE_FAILURE.site, SLOPE_FAILURE.point)
  t.equal(sent(s, p, AT), valueAt(p, AT), 'clean up to the start')
  const xs = series(s, p, AT, failureTime(AT) - 10 * MIN).map(([, v]) => v as number)
  t.ok(xs.every((v, i) => i === 0 || v > (xs[i - 1] as number)), 'displacement only grows')
  // inverse velocity (h/mm) over 30-min spans: a straight line towards zero at tf
  const inv = (t0: number): number => 0.5 / ((sent(s, p, t0 + HOUR / 2) as number) - (sent(s, p, t0) as number))
  const spans = [0, 1, 2, 3, 4, 5].map((h) => inv(AT + h * HOUR))
  t.ok(spans.every((v, i) => i === 0 || v < (spans[i - 1] as number)), `inverse velocity decreases: ${spans.map((v) => v.toFixed(3)).join(', ')}`)
  // fit a line through the 1/v samples: it crosses zero within 20 min of the failure time
  const mids = [0, 1, 2, 3, 4].map((h) => AT + h * HOUR + HOUR / 4)
  const ys = spans.slice(0, 5)
  const mx = mids.reduce((a, b) => a + b) / mids.length
  const my = ys.reduce((a, b) => a + b) / ys.length
  const slope = mids.reduce((a, x, i) => a + (x - mx) * ((ys[i] as number) - my), 0) / mids.reduce((a, x) => a + (x - mx) ** 2, 0)
  const zero = mx - my / slope
  t.ok(Math.abs(zero - failureTime(AT)) < 20 * MIN, `1/v reaches zero ${((zero - failureTime(AT)) / MIN).toFixed(1)} min from the failure time`)
  t.ok((sent(s, p, AT + HOUR) as number) - (sent(s, p, AT) as number) > 0.9, 'about 1 mm in the first hour (1 mm/h at the start)')
  t.equal(sent(s, p, failureTime(AT) + HOUR), sent(s, p, failureTime(AT) - 5 * MIN), 'the station is lost at failure: the last value stays')
})

t.test('scenarios - phreatic-rise: the depth falls 1.5 m/h through the control depth and stops 1.5 m past it', async (t) => {
  const s = make('phreatic-rise')
  const p = point(PHREATIC_RISE.site, PHREATIC_RISE.point)
  const control = Number(p.def.attributes?.controlDepthM)
  const start = sent(s, p, AT) as number
  t.ok(start > control + 2.5, `starts ${start} m, well deeper than the control depth ${control} m`)
  t.ok(Math.abs((sent(s, p, AT + HOUR) as number) - (start - 1.5)) < 0.011, 'an hour later 1.5 m shallower')
  const crossing = series(s, p, AT, AT + 6 * HOUR).find(([, v]) => (v as number) < control)?.[0] ?? NaN
  t.ok(crossing - AT > 90 * MIN && crossing - AT < 4 * HOUR, `passes the control depth after ${((crossing - AT) / MIN).toFixed(0)} min`)
  t.equal(sent(s, p, AT + 8 * HOUR), control - 1.5, 'stays 1.5 m past it')
  t.equal(sent(s, point(PHREATIC_RISE.site, 'PZ-02'), AT + 3 * HOUR), valueAt(point(PHREATIC_RISE.site, 'PZ-02'), AT + 3 * HOUR), 'the other piezometers stay clean')
})

t.test('scenarios - frozen-sensor: one CO point repeats one value while its area neighbours vary', async (t) => {
  const s = make('frozen-sensor')
  const p = point(FROZEN.site, FROZEN.point)
  const frozen = new Set(series(s, p, AT, AT + 3 * HOUR - 20_000).map(([, v]) => v))
  t.same([...frozen], [valueAt(p, AT)], 'one value for 3 h, the one it read at the start')
  const neighbours = points.filter((x) => x.site === FROZEN.site && x.def.quantity === 'co' && x.def.area === p.def.area && x !== p)
  t.ok(neighbours.length >= 2, `${neighbours.length} neighbours in ${String(p.def.area)}`)
  for (const n of neighbours) t.ok(new Set(series(s, n, AT, AT + HOUR).map(([, v]) => v)).size > 10, `${n.key} varies`)
  t.not(sent(s, p, AT + 3 * HOUR + 20_000), undefined)
})

t.test('scenarios - combine: the first override wins, events merge in time order, offline is any', async (t) => {
  const a: Scenario = { name: 'a', override: (x) => x.ts > 0 ? { value: 1 } : undefined, events: () => [{ kind: 'sos', ts: 5, card: 'C1' }] }
  const b: Scenario = { name: 'b', override: () => ({ value: 2 }), events: () => [{ kind: 'sos', ts: 3, card: 'C2' }], offline: () => true }
  const both = combine([a, b])
  const site = fleet.sites[0]
  const p = site?.points[0]
  if (site === undefined || p === undefined) throw new Error('fleet')
  t.equal(both.name, 'a,b')
  t.same(both.override?.({ site, point: p, ts: 1, value: 0, status: 0 }), { value: 1 })
  t.same(both.override?.({ site, point: p, ts: 0, value: 0, status: 0 }), { value: 2 })
  t.same(both.events?.(site, 0, 10).map((e) => e.ts), [3, 5])
  t.equal(both.offline?.(site, 0), true)
  t.equal(combine([a]).offline?.(site, 0), false)
})

t.test('scenarios - the demo feed\'s environment', async (t) => {
  t.equal(demoScenario({}, fleet, AT), undefined, 'none by default')
  t.equal(demoScenario({ MINEWATCH_DEMO_SCENARIO: ' ' }, fleet, AT), undefined)
  const s = demoScenario({ MINEWATCH_DEMO_SCENARIO: 'co-leak,sos', MINEWATCH_DEMO_SCENARIO_AT: '10m' }, fleet, AT - 10 * MIN)
  t.equal(s?.name, 'co-leak,sos')
  const co = point(CO_LEAK.site, CO_LEAK.point)
  t.ok((sent(s as Scenario, co, AT + 10 * MIN) as number) > 160, 'starting 10 min after the feed')
  const byDefault = demoScenario({ MINEWATCH_DEMO_SCENARIO: 'co-leak' }, fleet, AT - 5 * MIN) as Scenario
  t.equal(sent(byDefault, co, AT - 20_000), valueAt(co, AT - 20_000), 'by default clean for 5 min')
  t.ok((sent(byDefault, co, AT + 10 * MIN) as number) > 160, 'then the leak')
  t.throws(() => demoScenario({ MINEWATCH_DEMO_SCENARIO: 'flood' }, fleet, AT), /unknown scenario "flood"/)
})
