// The video module's tricky parts: the evidence reference an AI change carries, AI conditions restored at a
// restart, the tamper window, channels removed from the list, and when a channel came back from a silence.
import t from 'tap'
import { TestScheduler } from 'rxjs/testing'
import { createEngine, type Engine } from '../../../../src/4-evaluate/engine.js'
import { onlineAt, recordHeartbeat, type ChannelStates } from '../../../../src/4-evaluate/modules/video/channels.js'
import { VIDEO } from '../../../../src/4-evaluate/modules/video/index.js'
import type { RuleSpec } from '../../../../src/4-evaluate/rule-file.js'
import type { ConditionChange } from '../../../../src/4-evaluate/types.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Site } from '../../../../src/registry/types.js'
import { MemoryChannels } from '../../../../src/1-ingest/video/memory.js'
import type { Channel, VideoEventRow } from '../../../../src/1-ingest/video/types.js'
import { def } from '../harness.js'
import { silentLog } from '../../../../src/lib/log.js'

const MIN = 60_000
const SITE: Site = { code: 'S1', name: 'S1', kind: 'underground', status: 'producing', attributes: {}, updatedAt: 0, timeline: [] }
const V01: Channel = { site: 'S1', code: 'V01', name: '主井口', definedAt: 0 }
const V02: Channel = { site: 'S1', code: 'V02', name: '主井皮带', definedAt: 0 }
const HELMET: RuleSpec = { id: 'v.helmet', kind: 'video_event', title: '未戴安全帽', category: 'violation', source: 'test', eventType: 'no_helmet', minConfidence: 0.6, clearAfter: '10m' }
const TAMPER: RuleSpec = {
  id: 'v.tamper', kind: 'video_camera_tamper', title: '遮挡', category: 'fault', source: 'test', hazardClause: '关闭、破坏监测系统', clearAfter: '1h', repeat: { count: 2, within: '1h', level: 'orange' }
}

interface Rig { engine: Engine, changes: ConditionChange[], channels: MemoryChannels, at: (t: number) => void }

// an engine in virtual time with the video module only and the given channels of S1
function rig (rules: RuleSpec[], channels: Channel[], start = 0): Rig {
  const scheduler = new TestScheduler(() => {})
  const at = (t: number): void => {
    scheduler.schedule(() => {}, t - scheduler.now())
    scheduler.maxFrames = t
    scheduler.flush()
  }
  scheduler.maxFrames = 0
  at(start)
  const memory = new MemoryChannels(channels)
  const engine = createEngine({ scheduler, registry: new MemoryRegistry([SITE]), channels: memory, lateAfterMs: 60_000, offlineCheckMs: 5_000, modules: [VIDEO], log: silentLog })
  engine.setRules(rules.map(def))
  const changes: ConditionChange[] = []
  engine.changes$.subscribe((c) => changes.push(c))
  return { engine, changes, channels: memory, at }
}

const event = (e: Partial<VideoEventRow> & { ts: number }): VideoEventRow => ({ site: 'S1', channel: 'V01', type: 'no_helmet', receivedAt: e.ts, ...e })

t.test('video - an AI change keeps the event\'s evidence reference as its attachment', async (t) => {
  const r = rig([HELMET], [V01])
  r.at(MIN)
  r.engine.observe([{ type: 'video_event', event: event({ ts: MIN, confidence: 0.93, count: 1, evidenceSha256: 'ab'.repeat(32), evidenceUrl: 'http://nvr.local/snap/1.jpg' }) }])
  t.same(r.changes.map((c) => [c.key, c.level, c.value, c.limit]), [['v.helmet|S1|channel:V01', 'yellow', 0.93, 0.6]])
  t.same(r.changes[0]?.attachments, [{ kind: 'video', site: 'S1', channel: 'V01', type: 'no_helmet', ts: MIN, confidence: 0.93, count: 1, sha256: 'ab'.repeat(32), url: 'http://nvr.local/snap/1.jpg' }])
  t.match(r.changes[0]?.message, /V01（主井口）.*未戴安全帽/)
})

t.test('video - an AI condition restored open at a restart clears clearAfter after its last change', async (t) => {
  const r = rig([HELMET], [V01], 20 * MIN)
  r.engine.seed([{ key: 'v.helmet|S1|channel:V01', level: 'yellow', eventTs: 15 * MIN }])
  r.at(24 * MIN)
  t.same(r.changes, [], 'not yet quiet for 10 min')
  r.at(26 * MIN)
  t.same(r.changes.map((c) => [c.key, c.level, c.eventTs]), [['v.helmet|S1|channel:V01', null, 25 * MIN]])
})

t.test('video - repeated tampering escalates only within the window, with the hazard clause', async (t) => {
  const r = rig([TAMPER], [V01, V02])
  const tamper = (ts: number, channel: string): void => { r.at(ts); r.engine.observe([{ type: 'video_event', event: event({ ts, channel, type: 'camera_tamper', confidence: 0.9 }) }]) }
  tamper(MIN, 'V01')
  tamper(70 * MIN, 'V02')
  tamper(80 * MIN, 'V02')
  t.same(r.changes.map((c) => [c.key, c.level, c.value, c.rule.hazardClause]), [
    ['v.tamper|S1|channel:V01', 'yellow', 1, null],
    ['v.tamper|S1|channel:V01', null, null, '关闭、破坏监测系统'],
    ['v.tamper|S1|channel:V02', 'yellow', 1, null],
    ['v.tamper|S1|channel:V02', 'orange', 2, '关闭、破坏监测系统']
  ], 'the first tamper left the 1 h window before the second; the third is the second within it')
})

t.test('video - a channel removed from the list clears its offline condition', async (t) => {
  const offline: RuleSpec = { id: 'v.off', kind: 'video_channel_offline', title: '离线', category: 'fault', source: 'test', silentFor: '3m' }
  const r = rig([offline], [V01, V02])
  r.at(MIN)
  r.engine.observe([{ type: 'video_heartbeat', heartbeat: { site: 'S1', channel: 'V01', online: false, ts: MIN, receivedAt: MIN } }, { type: 'video_heartbeat', heartbeat: { site: 'S1', channel: 'V02', online: true, ts: MIN, receivedAt: MIN } }])
  r.channels.replaceChannels('S1', [V02])
  r.at(2 * MIN)
  t.same(r.changes.map((c) => [c.key, c.level, c.eventTs]), [
    ['v.off|S1|channel:V01', 'yellow', MIN],
    ['v.off|S1|channel:V01', null, MIN + 5_000]
  ])
})

t.test('video - a channel back from a silence has been online since the heartbeat that ended it', async (t) => {
  const states: ChannelStates = new Map()
  const hb = (ts: number, online = true): boolean => recordHeartbeat({ site: 'S1', channel: 'V01', online, ts, receivedAt: ts }, states)
  t.ok(hb(0))
  t.ok(hb(MIN))
  t.ok(hb(6 * MIN), 'after a 5 min silence')
  t.ok(hb(7 * MIN))
  t.notOk(hb(7 * MIN), 'a repeated heartbeat is not newer')
  const heard = states.get('S1|V01')
  t.same(onlineAt(V01, heard, 7 * MIN, 3 * MIN, 0), { online: true, since: 6 * MIN }, 'silentFor 3 min: the 5 min gap was a silence')
  t.same(onlineAt(V01, heard, 7 * MIN, 10 * MIN, 0), { online: true, since: 0 }, 'silentFor 10 min: it never went silent')
  t.same(onlineAt(V01, heard, 11 * MIN, 3 * MIN, 0), { online: false, since: 10 * MIN }, 'silent again from 7m + 3m')
  t.same(onlineAt(V01, undefined, 2 * MIN, 3 * MIN, MIN), { online: true, since: MIN }, 'never heard: online until silent since the engine start')
})

t.test('video - an online-rate alarm restored at a restart clears only once its channels have reported', async (t) => {
  const rate: RuleSpec = { id: 'v.rate', kind: 'video_online_rate', title: '在线率', category: 'fault', source: 'test', minPercent: 90, silentFor: '3m' }
  const r = rig([rate], [V01, V02], 10 * MIN)
  r.engine.seed([{ key: 'v.rate|S1|*', level: 'yellow', eventTs: 8 * MIN }])
  r.at(11 * MIN)
  t.same(r.changes, [], 'channels not heard since the restart do not clear it')
  r.engine.observe([1, 2].map((n) => ({ type: 'video_heartbeat' as const, heartbeat: { site: 'S1', channel: `V0${n}`, online: true, ts: 11 * MIN, receivedAt: 11 * MIN } })))
  r.at(11 * MIN + 5_000)
  t.same(r.changes.map((c) => [c.key, c.level, c.value]), [['v.rate|S1|*', null, 100]])
})
