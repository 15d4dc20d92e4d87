// The clean fleet against the whole engine: a simulated day of every site — readings, positioning snapshots
// and video heartbeats, as the feed makes them — through every rule of rules/ (core kinds and every rule
// module) in virtual time, must raise nothing. This is the clean run's contract as rules are added: a new
// rule that fires on it either has a false positive or the fleet is unrealistic; one of them must change.
import { join } from 'node:path'
import t from 'tap'
import { VirtualTimeScheduler } from 'rxjs'
import { createEngine } from '../../../../src/4-evaluate/engine.js'
import type { EngineInput } from '../../../../src/4-evaluate/inputs.js'
import { loadRules } from '../../../../src/4-evaluate/load-rules.js'
import type { ConditionChange } from '../../../../src/4-evaluate/types.js'
import type { ReadingRow } from '../../../../src/contract/rows.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import { toPoint } from '../../../../src/registry/store.js'
import type { Site } from '../../../../src/registry/types.js'
import { buildFleet, fleetPoints, peopleAt, PERSONNEL_INTERVAL_S, VIDEO_HEARTBEAT_S } from '../../../../src/tools/simulate/fleet/index.js'
import { DEFAULT_SEED, valueAt } from '../../../../src/tools/simulate/signals.js'
import { MemoryChannels } from '../../../../src/1-ingest/video/memory.js'
import { silentLog } from '../../../../src/lib/log.js'

const RULES_DIR = join(import.meta.dirname, '../../../../rules')
const HOUR = 3_600_000
// a day from midnight to midnight Beijing time, after 2 h of history (power baselines, trend windows)
const T0 = Date.parse('2026-11-20T22:00:00+08:00')
const END = Date.parse('2026-11-22T00:00:00+08:00')
const STEP = 20_000
// The rules no input of the clean fleet reaches, by reason: the fleet has no site, point or input of the kind
// they judge. Every other rule must have been evaluated; a rule moving in or out of this list is a change to
// review (a new point kind in the fleet, or a rule whose match no longer reaches it).
const NOT_ON_FLEET: readonly string[] = [
  // no coal mine in the fleet (CH4 by position, coal temperatures, CG-6 CO trends)
  'gas.ch4.limit', 'gas.ch4.t2', 'gas.ch4.t3', 'gas.ch4.t4', 'gas.ch4.t7', 'gas.ch4.t8',
  'ventilation.temperature.coal', 'ventilation.temperature.coal_face', 'trend.co.rise', 'trend.co.predict',
  // no hazardous-chemicals site
  'hazchem.co.limit', 'hazchem.combustible.lel', 'hazchem.h2s.limit', 'hazchem.nh3.limit', 'hazchem.no2.limit',
  'hazchem.o2.high', 'hazchem.o2.low', 'hazchem.pressure.high', 'hazchem.so2.limit', 'hazchem.tank_level.high',
  'hazchem.tank_level.low', 'hazchem.temperature.high',
  // 杏山 has no NH3, CO2 or dust sensors and no point marked airway: intake
  'gas.nh3.limit', 'ventilation.co2.limit', 'ventilation.co2.intake', 'ventilation.dust.intake', 'ventilation.temperature.intake_low',
  // the clean feed sends no AI recognition events (only scenarios do)
  'video.ai.belt_deviation', 'video.ai.intrusion', 'video.ai.no_helmet', 'video.ai.off_post', 'video.ai.overcrowding',
  'video.ai.smoke_fire', 'video.camera_tamper',
  // no crack gauges on the slopes
  'slope.crack_width',
  // roll-ups judge their sources' condition changes, and a clean day has none
  'tailings.rollup.item', 'tailings.rollup.site'
]

t.test('simulate - a clean day of the whole fleet raises nothing against every rule of rules/', async (t) => {
  const { rules, errors } = await loadRules(RULES_DIR)
  t.same(errors, [], 'the rule files load')
  const fleet = buildFleet()
  const points = fleetPoints(fleet)
  const defined = T0 - HOUR
  const sites: Site[] = fleet.sites.map((s) => ({
    code: s.code,
    name: s.input.name,
    kind: s.input.kind,
    status: s.input.status,
    ...(s.input.approvedHeadcount === undefined ? {} : { approvedHeadcount: s.input.approvedHeadcount }),
    attributes: s.input.attributes ?? {},
    updatedAt: defined,
    timeline: [{ since: defined, status: s.input.status }]
  }))
  const registry = new MemoryRegistry(sites, points.map((p) => toPoint(p.site, p.def, defined)))
  const channels = new MemoryChannels(fleet.sites.flatMap((s) => s.channels.map((c) => ({ site: s.code, code: c.channelCode, name: c.name, definedAt: defined }))))
  const scheduler = new VirtualTimeScheduler()
  scheduler.frame = T0
  const moduleErrors: string[] = []
  const engine = createEngine({ scheduler, registry, channels, lateAfterMs: 60_000, offlineCheckMs: 60_000, log: { ...silentLog, error: (obj, msg) => { moduleErrors.push(`${msg} ${JSON.stringify(obj)}`) } } })
  const changes: ConditionChange[] = []
  const sub = engine.changes$.subscribe((c) => changes.push(c))
  engine.setRules(rules)

  const began = Date.now()
  let readings = 0
  let inputs = 0
  for (let now = T0; now <= END; now += STEP) {
    scheduler.maxFrames = now
    scheduler.flush()
    scheduler.frame = now
    const rows: ReadingRow[] = []
    for (const p of points) {
      const step = p.intervalS * 1000
      // the readings due in (now - STEP, now]
      for (let ts = Math.floor(now / step) * step; ts > now - STEP; ts -= step) {
        rows.push({ site: p.site, point: p.def.pointCode, ts, value: valueAt(p, ts, DEFAULT_SEED), status: 0, receivedAt: now })
      }
    }
    rows.sort((a, b) => a.ts - b.ts)
    for (const s of fleet.sites) {
      const batch = rows.filter((r) => r.site === s.code)
      engine.ingest(batch)
      readings += batch.length
      const ins: EngineInput[] = []
      if (s.positioning !== undefined && now % (PERSONNEL_INTERVAL_S * 1000) < STEP) {
        for (let ts = Math.floor(now / (PERSONNEL_INTERVAL_S * 1000)) * PERSONNEL_INTERVAL_S * 1000; ts > now - STEP; ts -= PERSONNEL_INTERVAL_S * 1000) {
          const people = peopleAt(s.code, s.positioning, ts)
          ins.push({ type: 'personnel', receivedAt: now, snapshot: { site: s.code, ts, headcount: people.length, leaders: people.filter((p) => p.role === 'leader').length, people } })
        }
      }
      if (now % (VIDEO_HEARTBEAT_S * 1000) < STEP) {
        const ts = Math.floor(now / (VIDEO_HEARTBEAT_S * 1000)) * VIDEO_HEARTBEAT_S * 1000
        for (const c of s.channels) ins.push({ type: 'video_heartbeat', heartbeat: { site: s.code, channel: c.channelCode, online: true, ts, receivedAt: now } })
      }
      engine.observe(ins.sort((a, b) => ts(a) - ts(b)))
      inputs += ins.length
    }
  }
  t.comment(`${readings} readings and ${inputs} inputs over ${(END - T0) / HOUR} h in ${Date.now() - began} ms`)
  t.ok(readings > 600_000, 'a full day of readings')
  t.same(moduleErrors.slice(0, 10), [], 'no rule module failed')
  t.same(changes.slice(0, 20).map((c) => `${new Date(c.eventTs).toISOString()} ${c.key} ${String(c.level)} ${c.message}`), [], 'no condition changed')
  // every rule the fleet can match was evaluated; the ones it cannot match are named, not counted
  const health = new Map(engine.health().map((h) => [h.ruleId, h]))
  t.same(rules.filter((r) => !health.has(r.id)).map((r) => r.id), [], 'every rule has a health entry')
  const idle = rules.filter((r) => health.get(r.id)?.health === 'unknown' || (health.get(r.id)?.evaluations ?? 0) === 0).map((r) => r.id).sort()
  t.same(idle, [...NOT_ON_FLEET].sort(), `every rule but those the fleet cannot match was evaluated (${rules.length - idle.length} of ${rules.length})`)
  t.same(rules.filter((r) => health.get(r.id)?.health === 'err').map((r) => r.id), [], 'and none failed')
  sub.unsubscribe()
  engine.stop()
})

function ts (i: EngineInput): number {
  return i.type === 'personnel' ? i.snapshot.ts : i.type === 'video_heartbeat' ? i.heartbeat.ts : 0
}
