// The power rules (rules/power.yaml) over the simulated fleet's power meters and main-fan switches: a
// clean day raises nothing, and the scenarios meant for them raise what they should (and no more).
import { join } from 'node:path'
import t from 'tap'
import { loadRules } from '../../../../src/4-evaluate/load-rules.js'
import { POWER } from '../../../../src/4-evaluate/modules/power/index.js'
import type { RuleDef } from '../../../../src/4-evaluate/rule-file.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point, Site, StatusChange } from '../../../../src/registry/types.js'
import { buildFleet, fleetPoints } from '../../../../src/tools/simulate/fleet/index.js'
import { FAN_STOP, fanStop } from '../../../../src/tools/simulate/scenarios/fan-stop.js'
import { suspensionProduction } from '../../../../src/tools/simulate/scenarios/suspension-production.js'
import type { Scenario } from '../../../../src/tools/simulate/scenarios/types.js'
import { DEFAULT_SEED, valueAt } from '../../../../src/tools/simulate/signals.js'
import { harness } from '../harness.js'

const RULES_DIR = join(import.meta.dirname, '../../../../rules')
const MIN = 60_000
const HOUR = 60 * MIN
const T0 = Date.parse('2026-11-20T00:00:00+08:00')
const fleet = buildFleet()
const points = fleetPoints(fleet).filter((p) => p.def.quantity === 'power_kw' || p.def.quantity === 'fan_status')

async function powerRules (): Promise<RuleDef[]> {
  const { rules, errors } = await loadRules(RULES_DIR)
  if (errors.length > 0) throw new Error(JSON.stringify(errors))
  return rules.filter((r) => Object.hasOwn(POWER.kinds, r.kind) && r.id.startsWith('power.'))
}

// runs the fleet's power and fan points from T0 to T0 + hours through an engine with only the power rules
async function run (hours: number, scenario?: Scenario, seed = DEFAULT_SEED): Promise<Array<[string, string | null, string, string]>> {
  const timeline = new Map<string, StatusChange[]>()
  for (const s of fleet.sites) {
    const changes = (scenario?.events?.(s, T0 - 1, T0 + hours * HOUR) ?? []).flatMap((e) => e.kind === 'status' ? [{ since: e.ts, status: e.status }] : [])
    timeline.set(s.code, changes.length === 0 ? [] : [{ since: 0, status: s.input.status }, ...changes])
  }
  const sites: Site[] = fleet.sites.map((s) => ({ code: s.code, name: s.input.name, kind: s.input.kind, status: s.input.status, attributes: s.input.attributes ?? {}, updatedAt: 0, timeline: timeline.get(s.code) ?? [] }))
  const defs: Point[] = points.map((p) => ({ ...p.def, site: p.site, code: p.def.pointCode, attributes: p.def.attributes ?? {}, definedAt: 0 }))
  const h = harness(new MemoryRegistry(sites, defs), await powerRules(), { start: T0, offlineCheckMs: 10 * MIN, modules: [POWER] })
  const bySite = new Map(fleet.sites.map((s) => [s.code, s]))
  for (let ts = T0; ts <= T0 + hours * HOUR; ts += 20_000) {
    h.advanceTo(ts)
    const rows = []
    for (const p of points) {
      if ((ts - T0) % (p.def.intervalS * 1000) !== 0) continue
      const clean = valueAt(p, ts, seed)
      const site = bySite.get(p.site)
      const over = site === undefined ? undefined : scenario?.override?.({ site, point: p, ts, value: clean, status: 0 })
      if (over === null) continue
      rows.push({ site: p.site, point: p.def.pointCode, ts, value: over?.value ?? clean, status: over?.status ?? 0, receivedAt: ts })
    }
    h.engine.ingest(rows)
  }
  h.engine.stop()
  return h.changes.map((c) => [c.key, c.level, new Date(c.eventTs).toISOString(), c.message])
}

const at = T0 + 24 * HOUR
const iso = (ms: number): string => new Date(ms).toISOString()

t.test('power fleet - a clean day and more of every meter and fan raises nothing', async (t) => {
  t.same(await run(26), [])
  t.same(await run(26, undefined, 99), [], 'another seed')
})

t.test('power fleet - the suspension-production scenario raises PW-1 orange after 30 min, red after 2 h, cleared on resuming', async (t) => {
  const changes = await run(27.25, suspensionProduction.create({ at, fleet, seed: DEFAULT_SEED }))
  t.same(changes.map(([k, l, ts]) => [k, l, ts]), [
    ['power.suspension.production|SG-XS|*', 'orange', iso(at + 30 * MIN)],
    ['power.suspension.production|SG-XS|*', 'red', iso(at + 2 * HOUR)],
    ['power.suspension.production|SG-XS|*', null, iso(at + 3 * HOUR)]
  ])
  t.match(changes[0]?.[3], /^杏山铁矿（SG-XS）停产整顿期间用电疑似生产（明停暗开）：总负荷 \d+(\.\d)? kW，为生产期水平 \d+(\.\d)? kW 的 \d+%（≥ 60%）；提升机、破碎机功率 \d+(\.\d)? kW，占总负荷 \d+%（生产期 \d+%），已持续 30 分钟$/)
})

t.test('power fleet - a fan stop both points agree on is not a conflict; a switch stuck at running over a dead feeder is', async (t) => {
  // the fan rule learns nothing: start the scenarios an hour in
  const at = T0 + HOUR
  t.same(await run(2.5, fanStop.create({ at, fleet, seed: DEFAULT_SEED })), [], 'fan-stop: switch 0 and feeder ~0 kW agree')
  const stuck: Scenario = {
    name: 'stuck-switch',
    override: (s) => s.site.code === FAN_STOP.site && s.point.def.pointCode === FAN_STOP.powerPoint && s.ts >= at && s.ts < at + HOUR ? { value: 0.6 } : undefined
  }
  const changes = await run(2.5, stuck)
  t.same(changes.map(([k, l, ts]) => [k, l, ts]), [
    [`power.fan.conflict|SG-XS|fan:${FAN_STOP.fan}`, 'orange', iso(at + 2 * MIN)],
    [`power.fan.conflict|SG-XS|fan:${FAN_STOP.fan}`, null, iso(at + HOUR)]
  ])
  t.match(changes[0]?.[3], /^FAN-001（东风井主扇 1#风机）开停传感器显示运行，但PWR-MAINFAN-1（杏山铁矿 东风井 1#主扇）馈电功率仅 0.6 kW（额定 400 kW 的 0%），疑似风机已停或开停传感器故障$/)
})
