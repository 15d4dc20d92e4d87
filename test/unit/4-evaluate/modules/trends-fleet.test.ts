// The trend and data-quality rules against the simulated fleet: a clean day through a real engine with every
// default rule raises none of them (while each is evaluated), and the simulator's incidents raise the ones
// they are written for — a smouldering CO fire (and not a CO jump), phreatic rise, slope failure (with its predicted time) and a frozen sensor.
import { join } from 'node:path'
import t from 'tap'
import { loadRules } from '../../../../src/4-evaluate/load-rules.js'
import type { ConditionChange } from '../../../../src/4-evaluate/types.js'
import type { ReadingRow } from '../../../../src/contract/rows.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point, Site } from '../../../../src/registry/types.js'
import { buildFleet, fleetPoints, type FleetPoint, type FleetSite } from '../../../../src/tools/simulate/fleet/index.js'
import { SCENARIOS, type Scenario } from '../../../../src/tools/simulate/scenarios/index.js'
import { DEFAULT_SEED, valueAt } from '../../../../src/tools/simulate/signals.js'
import { harness } from '../harness.js'

const RULES_DIR = join(import.meta.dirname, '../../../../rules')
const T0 = Date.parse('2026-11-21T00:00:00+08:00')
const MIN = 60_000
const HOUR = 60 * MIN
const MINE = /^(trend|slope|quality)\./

const fleet = buildFleet()
const registry = new MemoryRegistry(
  fleet.sites.map((s): Site => ({ code: s.code, name: s.input.name, kind: s.input.kind, status: s.input.status, attributes: s.input.attributes ?? {}, updatedAt: 0, timeline: [] })),
  fleetPoints(fleet).map((p): Point => ({ ...p.def, site: p.site, code: p.def.pointCode, attributes: p.def.attributes ?? {}, definedAt: 0 }))
)

/** run feeds `hours` of the fleet (only `sites`, all when absent) through an engine with every default rule. */
async function run (hours: number, opts: { seed?: number, scenario?: Scenario, sites?: string[] } = {}): Promise<{ changes: ConditionChange[], health: Map<string, number> }> {
  const { rules, errors } = await loadRules(RULES_DIR)
  if (errors.length > 0) throw new Error(JSON.stringify(errors[0]))
  const h = harness(registry, [], { start: T0, offlineCheckMs: 10 * MIN })
  h.engine.setRules(rules)
  const sites = fleet.sites.filter((s) => opts.sites === undefined || opts.sites.includes(s.code))
  const step = 20_000
  for (let ts = T0; ts < T0 + hours * HOUR; ts += step) {
    h.advanceTo(ts)
    for (const site of sites) {
      const batch: ReadingRow[] = []
      for (const p of site.points) {
        if ((ts - T0) % (p.intervalS * 1000) !== 0) continue
        const r = sample(site, p, ts, opts)
        if (r !== null) batch.push(r)
      }
      h.engine.ingest(batch)
    }
  }
  h.engine.stop()
  return { changes: h.changes, health: new Map(h.engine.health().map((x) => [x.ruleId, x.evaluations])) }
}

function sample (site: FleetSite, p: FleetPoint, ts: number, opts: { seed?: number, scenario?: Scenario }): ReadingRow | null {
  const value = valueAt(p, ts, opts.seed ?? DEFAULT_SEED)
  const o = opts.scenario?.override?.({ site, point: p, ts, value, status: 0 })
  if (o === null) return null
  return { site: site.code, point: p.def.pointCode, ts, value: o?.value ?? value, status: o?.status ?? 0, receivedAt: ts }
}

const mine = (changes: ConditionChange[]): string[] => changes.filter((c) => MINE.test(c.rule.ruleId)).map((c) => `${c.key} ${c.level ?? 'cleared'} ${c.message}`)

t.test('trend rules - a clean simulated day raises no trend, slope or data-quality condition', async (t) => {
  const { changes, health } = await run(24)
  t.same(mine(changes), [], 'no change from trend.*, slope.* or quality.*')
  // trend.co.rise and trend.co.predict watch coal mines (CG-6), and the fleet has none: rules/tests/trends.test.yaml
  // covers them; 杏山's CO, blasting fumes at 06:40, 14:40 and 22:40 included, is judged by trend.co.steady_rise
  for (const id of ['trend.co.steady_rise', 'trend.phreatic.predict', 'trend.pool_level.predict', 'slope.tangent_angle',
    'slope.inverse_velocity', 'slope.rate.horizontal', 'slope.rate.settlement', 'slope.rate.velocity', 'slope.rate.dump', 'quality.frozen']) {
    t.ok((health.get(id) ?? 0) > 100, `${id} was evaluated (${health.get(id) ?? 0} times)`)
  }
  t.equal(health.get('trend.co.rise') ?? 0, 0, 'the metal mines\' CO is not judged for coal\'s spontaneous combustion')
})

t.test('trend rules - a second seed stays as quiet', async (t) => {
  const { changes } = await run(24, { seed: 99, sites: ['SG-XS', 'SG-SC', 'SG-DSH-TP'] })
  t.same(mine(changes), [])
})

function scenario (name: string, at: number): Scenario {
  const def = SCENARIOS.get(name)
  if (def === undefined) throw new Error(`no scenario ${name}`)
  return def.create({ at, fleet, seed: DEFAULT_SEED })
}

t.test('trend rules - the simulated slope failure raises the slope criteria, with the predicted failure time', async (t) => {
  const at = T0 + 2 * HOUR
  const { changes } = await run(8, { scenario: scenario('slope-failure', at), sites: ['SG-SC'] })
  const got = changes.filter((c) => c.key.endsWith('|SG-SC|S1-GNSS03-3D'))
  const inv = got.find((c) => c.rule.ruleId === 'slope.inverse_velocity' && c.level === 'red')
  t.ok(inv !== undefined, 'inverse velocity raised red')
  if (inv === undefined) return
  const failure = at + 6 * HOUR
  const error = (inv.predictedAt ?? NaN) - failure
  t.ok(Math.abs(error) < 15 * MIN, `predicted failure ${Math.round(error / MIN)} min from the real one`)
  t.ok(inv.eventTs < failure - HOUR, 'raised more than an hour before the failure')
  t.match(inv.message, /速度倒数法预测 2026-11-21 \d\d:\d\d（北京时间）失稳破坏/)
  t.ok(got.some((c) => c.rule.ruleId === 'slope.tangent_angle' && c.level === 'red'), 'tangent angle reached red')
  t.ok(got.some((c) => c.rule.ruleId === 'slope.rate.velocity' && c.level !== null), 'the velocity passed 5 mm/h')
  t.same(mine(changes.filter((c) => !c.key.endsWith('|S1-GNSS03-3D'))), [], 'no other station is affected')
})

t.test('trend rules - a smouldering fire in a metal mine is warned of before the CO limit; a CO jump as steep as blasting fumes is not', async (t) => {
  const at = T0 + 10 * HOUR // 10:00, away from 杏山's blasts
  const fire = await run(24, { scenario: scenario('co-fire', at), sites: ['SG-XS'] })
  const warned = fire.changes.find((c) => c.rule.ruleId === 'trend.co.steady_rise' && c.level !== null)
  const limit = fire.changes.find((c) => c.rule.ruleId === 'gas.co.limit' && c.level !== null)
  t.equal(warned?.points[0], 'CO-007')
  t.ok(warned !== undefined && limit !== undefined && warned.eventTs < limit.eventTs - 3 * MIN,
    `early warning ${((warned?.eventTs ?? 0) - at) / MIN} min into the rise, ${((limit?.eventTs ?? 0) - (warned?.eventTs ?? 0)) / MIN} min before the 24 ppm alarm`)
  t.match(warned?.message, /^CO-007（-300m 主运输巷）CO 12 分钟持续上升，按当前趋势（\d+(\.\d+)? ppm\/h）预计 \d+ 分钟后达到 24 ppm/)
  t.same(mine(fire.changes).map((l) => l.split(' ').slice(0, 2).join(' ')).filter((l) => l.endsWith('cleared')), ['trend.co.steady_rise|SG-XS|CO-007 cleared'],
    'cleared once the fire is out; no other trend, slope or quality condition all day, its three blasts included')
  const co = await run(2, { scenario: scenario('co-leak', T0 + HOUR), sites: ['SG-XS'] })
  t.same(mine(co.changes), [], 'co-leak jumps past 24 ppm within a minute like a blast\'s fumes: no trend warning, the threshold rule alone')
})

t.test('trend rules - the phreatic rise is predicted before its control depth', async (t) => {
  const at = T0 + HOUR
  const pz = await run(5, { scenario: scenario('phreatic-rise', at), sites: ['SG-DSH-TP'] })
  const predicted = pz.changes.find((c) => c.rule.ruleId === 'trend.phreatic.predict' && c.level !== null)
  const reached = pz.changes.find((c) => c.key.endsWith('|PZ-03') && c.rule.category !== 'early_warning' && c.level !== null)
  t.equal(predicted?.points[0], 'PZ-03')
  t.ok(predicted !== undefined && (predicted.value ?? Infinity) <= 120, `minutes to the control depth are the value (${predicted?.value ?? '-'})`)
  t.match(predicted?.message, /预计 \d+ 分钟后达到 \d+(\.\d+)? m/)
  t.equal(reached?.rule.ruleId, 'tailings.phreatic.depth', 'the depth rule raises within the run')
  t.ok((predicted?.eventTs ?? Infinity) < (reached?.eventTs ?? -Infinity) - HOUR, 'predicted over an hour before the depth rule raised')
})

t.test('trend rules - the simulated frozen sensor raises quality.frozen after 2 h and clears when it moves again', async (t) => {
  const at = T0 + HOUR
  const { changes } = await run(5, { scenario: scenario('frozen-sensor', at), sites: ['SG-XS'] })
  t.same(mine(changes).map((l) => l.split(' ').slice(0, 2).join(' ')), ['quality.frozen|SG-XS|CO-008 yellow', 'quality.frozen|SG-XS|CO-008 cleared'])
  const raise = changes.find((c) => c.rule.ruleId === 'quality.frozen')
  t.equal(raise?.startedAt, at, 'the condition began with the first repeated value')
  t.equal(raise?.eventTs, at + 2 * HOUR)
})
