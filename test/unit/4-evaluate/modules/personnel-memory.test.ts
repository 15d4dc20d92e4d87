// Personnel and video state stays bounded: a card that never raised anything costs no state, a card that came
// up and a channel removed from the list are forgotten once their condition is closed.
import { TestScheduler } from 'rxjs/testing'
import t from 'tap'
import { newCompileEnv } from '../../../../src/4-evaluate/compile.js'
import type { ModuleContext, RuleModule } from '../../../../src/4-evaluate/module.js'
import { PERSONNEL } from '../../../../src/4-evaluate/modules/personnel/index.js'
import { VIDEO } from '../../../../src/4-evaluate/modules/video/index.js'
import type { RuleSpec } from '../../../../src/4-evaluate/rule-file.js'
import type { ConditionChange } from '../../../../src/4-evaluate/types.js'
import type { StoredPerson } from '../../../../src/1-ingest/personnel/types.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Site } from '../../../../src/registry/types.js'
import { MemoryChannels } from '../../../../src/1-ingest/video/memory.js'
import { def } from '../harness.js'
import { silentLog } from '../../../../src/lib/log.js'

const HOUR = 3_600_000
const SITE: Site = { code: 'U1', name: 'U1', kind: 'underground', status: 'producing', attributes: {}, updatedAt: 0, timeline: [] }

// a module instance on its own, so the test sees the engine state it keeps
function bare (module: RuleModule, rules: RuleSpec[], channels = new MemoryChannels()): { env: ReturnType<typeof newCompileEnv>, changes: ConditionChange[], inst: ReturnType<RuleModule['create']>, ctx: (now: number) => ModuleContext } {
  const env = newCompileEnv()
  const registry = new MemoryRegistry([SITE])
  const inst = module.create({ env, scheduler: new TestScheduler(() => {}), log: silentLog })
  inst.bind(rules.map(def), registry, channels)
  const changes: ConditionChange[] = []
  const ctx = (now: number): ModuleContext => ({ now, lateAfterMs: 60_000, emit: (c) => changes.push(c), stats: { evaluations: 0, outOfOrder: 0, changes: 0 }, registry, channels })
  return { env, changes, inst, ctx }
}

const people = (cards: string[], enteredAt: number): StoredPerson[] => cards.map((card) => ({ card, role: 'worker', enteredAt }))
const OVERTIME: RuleSpec = { id: 'p.overtime', kind: 'personnel_overtime', title: '超时', category: 'violation', source: 'test', maxStay: '8h' }

t.test('personnel memory - cards without an alarm keep no state; a card that came up is forgotten once cleared', async (t) => {
  const m = bare(PERSONNEL, [OVERTIME])
  const snap = (ts: number, ps: StoredPerson[]): void => m.inst.input?.({ type: 'personnel', receivedAt: ts, snapshot: { site: 'U1', ts, headcount: ps.length, leaders: 0, people: ps } }, m.ctx(ts))
  const crew = Array.from({ length: 200 }, (_, i) => `C${i}`)
  snap(HOUR, people(crew, 0))
  t.equal(m.env.states.size, 0, '200 cards underground, none over time: no state')
  snap(9 * HOUR, [...people(['C0'], 0), ...people(crew.slice(1), 8 * HOUR)])
  t.same(m.changes.map((c) => [c.key, c.level]), [['p.overtime|U1|card:C0', 'yellow']])
  t.same([...m.env.states.keys()], ['p.overtime|U1|card:C0'])
  snap(10 * HOUR, people(crew.slice(1), 8 * HOUR))
  t.same(m.changes.map((c) => [c.key, c.level]).at(-1), ['p.overtime|U1|card:C0', null], 'C0 came up')
  t.equal(m.env.states.size, 0, 'and nothing is kept about it')
})

t.test('video memory - a channel removed from the list is cleared and forgotten; online channels keep no state', async (t) => {
  const channels = new MemoryChannels([{ site: 'U1', code: 'V01', name: '主井口', definedAt: 0 }, { site: 'U1', code: 'V02', name: '主井皮带', definedAt: 0 }])
  const offline: RuleSpec = { id: 'v.off', kind: 'video_channel_offline', title: '离线', category: 'fault', source: 'test', silentFor: '3m' }
  const m = bare(VIDEO, [offline], channels)
  const beat = (ts: number, channel: string, online: boolean): void => m.inst.input?.({ type: 'video_heartbeat', heartbeat: { site: 'U1', channel, online, ts, receivedAt: ts } }, m.ctx(ts))
  beat(1000, 'V01', true)
  beat(1000, 'V02', false)
  t.same([...m.env.states.keys()], ['v.off|U1|channel:V02'], 'only the channel that went offline has a state')
  channels.replaceChannels('U1', [{ site: 'U1', code: 'V01', name: '主井口', definedAt: 0 }])
  m.inst.check?.(m.ctx(2000))
  t.same(m.changes.map((c) => [c.key, c.level]), [['v.off|U1|channel:V02', 'yellow'], ['v.off|U1|channel:V02', null]])
  t.equal(m.env.states.size, 0)
})
