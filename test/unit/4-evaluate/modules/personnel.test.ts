// The personnel module's tricky parts: conditions restored open at a restart, the coal-only hazard clause
// of an escalated headcount, late snapshots, "all fans" mode, and the checks `rules:check` runs.
import t from 'tap'
import { PERSONNEL, personnelIssues } from '../../../../src/4-evaluate/modules/personnel/index.js'
import type { RuleSpec } from '../../../../src/4-evaluate/rule-file.js'
import type { StoredPerson } from '../../../../src/1-ingest/personnel/types.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point, Site } from '../../../../src/registry/types.js'
import { def, harness, summary, type Harness } from '../harness.js'

const MIN = 60_000
const site = (code: string, kind: Site['kind'], extra: Partial<Site> = {}): Site =>
  ({ code, name: code, kind, status: 'producing', attributes: {}, updatedAt: 0, timeline: [], ...extra })
const fan = (code: string, standby: boolean): Point =>
  ({ site: 'U1', code, quantity: 'fan_status', unit: 'on/off', kind: 'switch', intervalS: 20, attributes: { equipment: 'main_fan', standby }, definedAt: 0 })
const crew = (n: number, leader = true): StoredPerson[] =>
  Array.from({ length: n }, (_, i) => ({ card: `C${i}`, role: i === 0 && leader ? 'leader' : 'worker', area: 'A1', enteredAt: 0 }))

function snapshot (h: Harness, site: string, ts: number, people: StoredPerson[], receivedAt = ts): void {
  h.engine.observe([{ type: 'personnel', snapshot: { site, ts, headcount: people.length, leaders: people.filter((p) => p.role === 'leader').length, people }, receivedAt }])
}

const MINE: RuleSpec = {
  id: 'p.mine',
  kind: 'personnel_headcount',
  title: '超员',
  category: 'violation',
  source: 'test',
  hazardClause: '超定员组织生产',
  hazardSiteKind: ['coal_mine'],
  level: 'yellow',
  escalate: { ratio: 1.2, level: 'orange' }
}

t.test('personnel - the escalated headcount carries the hazard clause on a coal mine only, the base level never', async (t) => {
  const reg = new MemoryRegistry([site('C1', 'coal_mine', { approvedHeadcount: 10 }), site('U1', 'underground', { approvedHeadcount: 10 })])
  const h = harness(reg, [MINE], { modules: [PERSONNEL] })
  for (const s of ['C1', 'U1']) {
    snapshot(h, s, 0, crew(11))
    snapshot(h, s, 30_000, crew(13))
    snapshot(h, s, 60_000, crew(5))
  }
  t.same(h.changes.map((c) => [c.key, c.level, c.rule.hazardClause, c.value, c.limit]), [
    ['p.mine|C1|*', 'yellow', null, 11, 10],
    ['p.mine|C1|*', 'orange', '超定员组织生产', 13, 10],
    ['p.mine|C1|*', null, null, 5, 10],
    ['p.mine|U1|*', 'yellow', null, 11, 10],
    ['p.mine|U1|*', 'orange', null, 13, 10],
    ['p.mine|U1|*', null, null, 5, 10]
  ])
  t.equal(h.changes[0]?.receivedAt, 0, 'the snapshot arrival time is the change\'s, for the latency metric')
})

t.test('personnel - a late or repeated snapshot is ignored; the newest one stands', async (t) => {
  const h = harness(new MemoryRegistry([site('U1', 'underground', { approvedHeadcount: 2 })]), [MINE], { modules: [PERSONNEL] })
  snapshot(h, 'U1', 60_000, crew(2))
  snapshot(h, 'U1', 30_000, crew(5))
  snapshot(h, 'U1', 60_000, crew(5))
  t.same(h.changes, [], 'an older snapshot and a resend of the same time change nothing')
})

t.test('personnel - SOS and card conditions restored open at a restart clear from the next snapshots', async (t) => {
  const rules: RuleSpec[] = [
    { id: 'p.sos', kind: 'personnel_sos', title: 'SOS', category: 'early_warning', source: 'test', clearAfter: '5m' },
    { id: 'p.over', kind: 'personnel_overtime', title: '超时', category: 'violation', source: 'test', maxStay: '8h' }
  ]
  const h = harness(new MemoryRegistry([site('U1', 'underground')]), rules, { start: 10 * MIN, modules: [PERSONNEL] })
  h.engine.seed([{ key: 'p.sos|U1|card:C9', level: 'red', eventTs: 5 * MIN }, { key: 'p.over|U1|card:C9', level: 'yellow', eventTs: 5 * MIN }])
  snapshot(h, 'U1', 4 * MIN, crew(2)) // older than the seeded SOS: says nothing about after it
  snapshot(h, 'U1', 11 * MIN, crew(2))
  snapshot(h, 'U1', 16 * MIN, crew(2))
  t.same(summary(h.changes), [
    ['p.over|U1|card:C9', null, 11 * MIN],
    ['p.sos|U1|card:C9', null, 16 * MIN]
  ], 'the 4m snapshot predates both; the overtime card came up; the SOS card has been absent for 5 min since 11m')
})

t.test('personnel - require all: people underground with every main fan stopped, not just one', async (t) => {
  const rule: RuleSpec = {
    id: 'p.fan',
    kind: 'personnel_fan_stopped',
    title: '停风',
    category: 'violation',
    source: 'test',
    match: { quantity: ['fan_status'], attributes: { equipment: 'main_fan', standby: false } },
    require: 'all'
  }
  const h = harness(new MemoryRegistry([site('U1', 'underground')], [fan('F1', false), fan('F2', false), fan('F3', true)]), [rule], { modules: [PERSONNEL] })
  snapshot(h, 'U1', 0, crew(3))
  h.read('U1', 'F1', 10_000, 0)
  h.read('U1', 'F2', 10_000, 1)
  h.read('U1', 'F3', 10_000, 0)
  h.read('U1', 'F2', 30_000, 0)
  h.read('U1', 'F1', 50_000, 1)
  t.same(h.changes.map((c) => [c.level, c.eventTs, c.points, c.value]), [
    ['red', 30_000, ['F1', 'F2'], 3],
    [null, 50_000, ['F1', 'F2'], 3]
  ], 'the standby fan is not watched; red once both working fans say stopped, cleared when one runs')
})

t.test('personnel - a fan stop with positioning silent for longer than staleAfter raises nothing', async (t) => {
  const rule: RuleSpec = { id: 'p.fan', kind: 'personnel_fan_stopped', title: '停风', category: 'violation', source: 'test', match: { quantity: ['fan_status'] } }
  const h = harness(new MemoryRegistry([site('U1', 'underground')], [fan('F1', false)]), [rule], { modules: [PERSONNEL] })
  snapshot(h, 'U1', 0, crew(3))
  h.read('U1', 'F1', 3 * MIN, 0)
  t.same(h.changes, [], 'the last snapshot is 3 min old: who is underground is unknown')
  snapshot(h, 'U1', 3 * MIN + 10_000, crew(3))
  t.same(summary(h.changes), [['p.fan|U1|*', 'red', 3 * MIN + 10_000]], 'a fresh snapshot decides it')
})

t.test('personnel - rules:check refuses an escalation not above the level and a fan rule without a point match', async (t) => {
  const issues = personnelIssues(def({ ...MINE, escalate: { ratio: 1.2, level: 'yellow' } }), '/groups/0/rules/0')
  t.same(issues.map((i) => i.path), ['/groups/0/rules/0/escalate/level'])
  const fanIssues = personnelIssues(def({ id: 'p.fan', kind: 'personnel_fan_stopped', title: '停风', category: 'violation', source: 'test' }), '/r')
  t.match(fanIssues, [{ path: '/r/match', message: /match.quantity or match.points/ }])
  t.same(personnelIssues(def(MINE), '/r'), [])
})
