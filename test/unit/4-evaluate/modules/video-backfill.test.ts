// The video module after a gateway outage: heartbeats held by the gateway arrive late, in a burst, with
// their own (older) times; and a site silence (connectivity.site.no_data) holds video silence back.
import t from 'tap'
import { TestScheduler } from 'rxjs/testing'
import { newCompileEnv } from '../../../../src/4-evaluate/compile.js'
import { newKeyState } from '../../../../src/4-evaluate/compiled.js'
import { createEngine, type Engine } from '../../../../src/4-evaluate/engine.js'
import { SiteHolds } from '../../../../src/4-evaluate/modules/video/holds.js'
import { VIDEO } from '../../../../src/4-evaluate/modules/video/index.js'
import type { RuleSpec } from '../../../../src/4-evaluate/rule-file.js'
import type { ConditionChange } from '../../../../src/4-evaluate/types.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Site } from '../../../../src/registry/types.js'
import { MemoryChannels } from '../../../../src/1-ingest/video/memory.js'
import type { Channel } from '../../../../src/1-ingest/video/types.js'
import { def } from '../harness.js'
import { silentLog } from '../../../../src/lib/log.js'

const MIN = 60_000
const SITE: Site = { code: 'S1', name: 'S1', kind: 'underground', status: 'producing', attributes: {}, updatedAt: 0, timeline: [] }
const CHANNELS: Channel[] = [{ site: 'S1', code: 'V01', name: '主井口', definedAt: 0 }, { site: 'S1', code: 'V02', name: '主井皮带', definedAt: 0 }]
const NO_DATA = 'connectivity.site.no_data'
const OFFLINE: RuleSpec = { id: 'v.off', kind: 'video_channel_offline', title: '离线', category: 'fault', source: 'test', silentFor: '3m', suppressWhile: [NO_DATA] }
const RATE: RuleSpec = { id: 'v.rate', kind: 'video_online_rate', title: '在线率', category: 'fault', source: 'test', silentFor: '3m', minPercent: 90, suppressWhile: [NO_DATA] }

interface Rig { engine: Engine, changes: ConditionChange[], at: (t: number) => void, beat: (ts: number, receivedAt?: number) => void }

// an engine in virtual time with the video module only, channels V01 and V02 of S1
function rig (): Rig {
  const scheduler = new TestScheduler(() => {})
  const at = (t: number): void => {
    scheduler.schedule(() => {}, t - scheduler.now())
    scheduler.maxFrames = t
    scheduler.flush()
  }
  scheduler.maxFrames = 0
  const engine = createEngine({ scheduler, registry: new MemoryRegistry([SITE]), channels: new MemoryChannels(CHANNELS), lateAfterMs: MIN, offlineCheckMs: 5_000, modules: [VIDEO], log: silentLog })
  engine.setRules([OFFLINE, RATE].map(def))
  const changes: ConditionChange[] = []
  engine.changes$.subscribe((c) => changes.push(c))
  const beat = (ts: number, receivedAt = ts): void => engine.observe(CHANNELS.map((c) => ({ type: 'video_heartbeat' as const, heartbeat: { site: 'S1', channel: c.code, online: true, ts, receivedAt } })))
  return { engine, changes, at, beat }
}

const steps = (changes: ConditionChange[]): Array<[string, string | null, number]> => changes.map((c) => [c.key.split('|')[2] === '*' ? c.key.split('|')[0] as string : c.key.split('|')[2] as string, c.level, c.eventTs / MIN])

t.test('video - heartbeats backfilled after a silence never date a clear before its raise', async (t) => {
  const r = rig()
  for (let m = 0; m <= 2; m++) {
    r.at(m * MIN)
    r.beat(m * MIN)
  }
  r.at(6 * MIN)
  t.same(steps(r.changes), [['channel:V01', 'yellow', 5], ['channel:V02', 'yellow', 5], ['v.rate', 'yellow', 5]], 'silent from 2m: offline at 5m')
  // the gateway is back at 8m and sends what it held: heartbeats of 3m..8m, all saying online
  for (let m = 3; m <= 8; m++) r.beat(m * MIN, 8 * MIN)
  r.at(8 * MIN + 5_000)
  t.same(steps(r.changes.slice(3)), [['channel:V01', null, 5], ['channel:V02', null, 5], ['v.rate', null, 5]],
    'cleared by the first heartbeat not older than the raise (5m), the rate at its raise, not at the channels\' 0m')
  const raised = new Map<string, number>()
  for (const c of r.changes) {
    if (c.level !== null) raised.set(c.key, c.eventTs)
    else t.ok(c.eventTs >= (raised.get(c.key) ?? -Infinity), `${c.key} clear at ${c.eventTs / MIN}m is not before its raise`)
  }
})

t.test('video - a site silence restored open at a restart holds channel silence back', async (t) => {
  const r = rig()
  r.engine.seed([{ key: `${NO_DATA}|S1|*`, level: 'orange', eventTs: 0 }])
  r.at(0)
  r.beat(0)
  r.at(10 * MIN)
  t.same(r.changes, [], 'no heartbeat for 10 min while the site is silent: nothing raised')
})

t.test('video - a site hold starts at the raise, ends at the clear, and ends when its condition is gone', async (t) => {
  const holds = new SiteHolds()
  const env = newCompileEnv(0)
  holds.watch([NO_DATA], env)
  const change = (level: 'orange' | null, eventTs: number, key = `${NO_DATA}|S1|*`): ConditionChange =>
    ({ type: 'condition', key, rule: { ruleId: key.split('|')[0] as string, ruleVersion: 'x', category: 'fault', title: 't', source: 's', hazardClause: null }, siteCode: 'S1', points: [], level, value: null, limit: null, eventTs, late: false, message: '' })
  holds.change(change('orange', MIN, `${NO_DATA}|S1|P1`), MIN)
  holds.change(change('orange', MIN, 'other.rule|S1|*'), MIN)
  t.equal(holds.of('S1', [NO_DATA, 'other.rule']), undefined, 'a point condition and an unwatched rule hold nothing')
  holds.change(change('orange', 2 * MIN), 2 * MIN)
  t.same(holds.of('S1', [NO_DATA]), { from: 2 * MIN }, 'begins at the raise\'s event time')
  t.equal(holds.of('S1', ['other.rule']), undefined, 'only the rule ids a video rule lists')
  holds.change(change(null, 9 * MIN), 10 * MIN)
  t.same(holds.of('S1', [NO_DATA]), { from: 2 * MIN, until: 10 * MIN }, 'ends at the engine time of the clear')
  holds.change(change('orange', 20 * MIN), 20 * MIN)
  t.same(holds.of('S1', [NO_DATA]), { from: 20 * MIN }, 'a new silence is a new hold')
  // the rule is removed and its state dropped: the hold must not last for ever
  env.states.set(`${NO_DATA}|S2|*`, Object.assign(newKeyState(), { level: 'orange' as const, lastTs: 5 * MIN }))
  holds.watch([NO_DATA], env)
  t.same(holds.of('S1', [NO_DATA]), { from: 20 * MIN, until: 0 }, 'S1 has no open state any more: ended')
  t.same(holds.of('S2', [NO_DATA]), { from: 5 * MIN }, 'S2 read back from the engine state')
})
