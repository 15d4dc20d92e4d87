// The personnel and video rules (rules/personnel.yaml, rules/video.yaml) over the simulated fleet: positioning
// snapshots every 30 s, video heartbeats every 60 s and the main-fan switches. A clean day raises nothing, and
// the scenarios meant for these rules raise what they should (and no more).
import { join } from 'node:path'
import t from 'tap'
import { TestScheduler } from 'rxjs/testing'
import { createEngine } from '../../../../src/4-evaluate/engine.js'
import type { EngineInput } from '../../../../src/4-evaluate/inputs.js'
import { loadRules } from '../../../../src/4-evaluate/load-rules.js'
import { PERSONNEL } from '../../../../src/4-evaluate/modules/personnel/index.js'
import { VIDEO } from '../../../../src/4-evaluate/modules/video/index.js'
import type { ConditionChange } from '../../../../src/4-evaluate/types.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point, Site, StatusChange } from '../../../../src/registry/types.js'
import { buildFleet, fleetPoints, peopleAt } from '../../../../src/tools/simulate/fleet/index.js'
import { FAN_STOP, fanStop } from '../../../../src/tools/simulate/scenarios/fan-stop.js'
import { OVERCROWDING, overcrowding } from '../../../../src/tools/simulate/scenarios/overcrowding.js'
import { sos } from '../../../../src/tools/simulate/scenarios/sos.js'
import { SUSPENSION, suspensionProduction } from '../../../../src/tools/simulate/scenarios/suspension-production.js'
import type { Scenario } from '../../../../src/tools/simulate/scenarios/types.js'
import { DEFAULT_SEED, valueAt } from '../../../../src/tools/simulate/signals.js'
import { MemoryChannels } from '../../../../src/1-ingest/video/memory.js'
import { silentLog } from '../../../../src/lib/log.js'

const RULES_DIR = join(import.meta.dirname, '../../../../rules')
const MIN = 60_000
const HOUR = 60 * MIN
const T0 = Date.parse('2026-11-20T00:00:00+08:00')
const fleet = buildFleet()
const fans = fleetPoints(fleet).filter((p) => p.def.quantity === 'fan_status')
const { rules: allRules, errors } = await loadRules(RULES_DIR)
if (errors.length > 0) throw new Error(JSON.stringify(errors))
const rules = allRules.filter((r) => r.id.startsWith('personnel.') || r.id.startsWith('video.'))

type Seen = [string, string | null, string]

// runs the fleet's positioning, heartbeats and fan switches (plus a scenario) from T0 to T0 + hours
function run (hours: number, scenario?: Scenario): { seen: Seen[], changes: ConditionChange[] } {
  const end = T0 + hours * HOUR
  const events = new Map(fleet.sites.map((s) => [s.code, scenario?.events?.(s, T0 - 1, end) ?? []]))
  const sites: Site[] = fleet.sites.map((s) => {
    const changes: StatusChange[] = (events.get(s.code) ?? []).flatMap((e) => e.kind === 'status' ? [{ since: e.ts, status: e.status }] : [])
    const timeline = changes.length === 0 ? [] : [{ since: 0, status: s.input.status }, ...changes]
    return { code: s.code, name: s.input.name, kind: s.input.kind, status: s.input.status, ...(s.input.approvedHeadcount === undefined ? {} : { approvedHeadcount: s.input.approvedHeadcount }), attributes: s.input.attributes ?? {}, updatedAt: 0, timeline }
  })
  const points: Point[] = fans.map((p) => ({ ...p.def, site: p.site, code: p.def.pointCode, attributes: p.def.attributes ?? {}, definedAt: 0 }))
  const channels = new MemoryChannels(fleet.sites.flatMap((s) => s.channels.map((c) => ({ site: s.code, code: c.channelCode, name: c.name, definedAt: 0 }))))
  const scheduler = new TestScheduler(() => {})
  const advance = (to: number): void => { scheduler.schedule(() => {}, to - scheduler.now()); scheduler.maxFrames = to; scheduler.flush() }
  scheduler.maxFrames = T0
  advance(T0)
  const engine = createEngine({ scheduler, registry: new MemoryRegistry(sites, points), channels, lateAfterMs: 60_000, offlineCheckMs: 5 * MIN, modules: [PERSONNEL, VIDEO], log: silentLog })
  engine.setRules(rules)
  const changes: ConditionChange[] = []
  engine.changes$.subscribe((c) => changes.push(c))
  for (let ts = T0; ts <= end; ts += 10_000) {
    advance(ts)
    const rows = fans.filter((p) => (ts - T0) % (p.def.intervalS * 1000) === 0).map((p) => {
      const clean = valueAt(p, ts, DEFAULT_SEED)
      const site = fleet.sites.find((s) => s.code === p.site)
      const over = site === undefined ? undefined : scenario?.override?.({ site, point: p, ts, value: clean, status: 0 })
      return { site: p.site, point: p.def.pointCode, ts, value: over?.value ?? clean, status: 0, receivedAt: ts }
    })
    engine.ingest(rows)
    const inputs: EngineInput[] = []
    for (const s of fleet.sites) {
      if (s.positioning !== undefined && (ts - T0) % 30_000 === 0) {
        const clean = peopleAt(s.code, s.positioning, ts)
        const people = scenario?.people?.(s, ts, clean) ?? clean
        inputs.push({ type: 'personnel', receivedAt: ts, snapshot: { site: s.code, ts, headcount: people.length, leaders: people.filter((p) => p.role === 'leader').length, people } })
      }
      for (const e of events.get(s.code) ?? []) {
        if (e.ts !== ts) continue
        if (e.kind === 'sos') inputs.push({ type: 'sos', event: { site: s.code, type: 'sos', card: e.card, ...(e.area === undefined ? {} : { area: e.area }), ts, receivedAt: ts } })
        if (e.kind === 'video') inputs.push({ type: 'video_event', event: { site: s.code, channel: e.channel, type: e.type, confidence: e.confidence, ...(e.count === undefined ? {} : { count: e.count }), ts, receivedAt: ts } })
      }
      if ((ts - T0) % 60_000 === 0) for (const c of s.channels) inputs.push({ type: 'video_heartbeat', heartbeat: { site: s.code, channel: c.channelCode, online: true, ts, receivedAt: ts } })
    }
    engine.observe(inputs)
  }
  engine.stop()
  return { seen: changes.map((c) => [c.key, c.level, new Date(c.eventTs).toISOString()]), changes }
}

const at = T0 + 8 * HOUR // 08:00 Beijing time, inside the early shift
const iso = (ms: number): string => new Date(ms).toISOString()

t.test('personnel fleet - a clean day of positioning, heartbeats and fans raises nothing', async (t) => {
  t.same(run(26).seen, [])
})

t.test('personnel fleet - the sos scenario raises personnel.sos red at once', async (t) => {
  const { seen, changes } = run(8.5, sos.create({ at, fleet, seed: DEFAULT_SEED }))
  t.match(seen, [[/^personnel\.sos\|SG-XS\|card:CA\d+$/, 'red', iso(at)]])
  t.equal(seen.length, 1)
  t.equal(changes[0]?.rule.category, 'early_warning')
})

t.test('personnel fleet - the overcrowding scenario raises the mine and area A5 after 5 min, cleared after the hour', async (t) => {
  const { seen } = run(9.5, overcrowding.create({ at, fleet, seed: DEFAULT_SEED }))
  t.same(seen, [
    ['personnel.overcrowding.mine|SG-XS|*', 'yellow', iso(at + 5 * MIN)],
    [`personnel.overcrowding.area|SG-XS|area:${OVERCROWDING.area}`, 'yellow', iso(at + 5 * MIN)],
    ['personnel.overcrowding.mine|SG-XS|*', null, iso(at + HOUR)],
    [`personnel.overcrowding.area|SG-XS|area:${OVERCROWDING.area}`, null, iso(at + HOUR)]
  ])
})

t.test('personnel fleet - the fan-stop scenario raises personnel.fan_stopped red while the crew is down', async (t) => {
  const { seen, changes } = run(9.5, fanStop.create({ at, fleet, seed: DEFAULT_SEED }))
  t.same(seen, [
    [`personnel.fan_stopped|${FAN_STOP.site}|*`, 'red', iso(at)],
    [`personnel.fan_stopped|${FAN_STOP.site}|*`, null, iso(at + FAN_STOP.durationMs)]
  ])
  t.match(changes[0], { points: ['FAN-001', 'FAN-003'], rule: { hazardClause: /矿安〔2022〕88号/ }, message: /FAN-001 停止运转，井下仍有 \d+ 人/ })
})

t.test('personnel fleet - the suspension-production scenario raises 明停暗开 from positioning and video, cleared on resuming', async (t) => {
  const { seen, changes } = run(11.5, suspensionProduction.create({ at, fleet, seed: DEFAULT_SEED }))
  const end = at + SUSPENSION.durationMs
  t.same(seen, [
    ['video.suspension_activity|SG-XS|*', 'orange', iso(at + SUSPENSION.beltFirstMs)],
    ['personnel.during_suspension|SG-XS|*', 'orange', iso(at + 10 * MIN)],
    // the periodic check at `end` runs before the snapshot of `end` is seen
    ['video.suspension_activity|SG-XS|*', null, iso(end)],
    ['personnel.during_suspension|SG-XS|*', null, iso(end)]
  ])
  t.match(changes[0]?.attachments, [{ channel: 'V05', type: 'belt_running' }])
})
