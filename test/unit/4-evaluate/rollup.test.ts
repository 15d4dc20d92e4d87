// The roll-up module: counting by level with carries, grouping by item and site, and the state it keeps
// across rule reloads, registry changes and restarts. Any rule set rolls up; CO points stand in here.
import t from 'tap'
import { ROLLUP } from '../../../src/4-evaluate/modules/rollup/index.js'
import { rollUp, rollupIssues, sourceMatcher, type RollupRule } from '../../../src/4-evaluate/modules/rollup/spec.js'
import type { RuleSpec } from '../../../src/4-evaluate/rule-file.js'
import type { Point } from '../../../src/registry/types.js'
import { point, site, testRegistry } from '../../helpers/registry.js'
import { CO, def, harness, row } from './harness.js'

const STEPS = [{ from: 'blue', count: 4, to: 'yellow' }, { from: 'yellow', count: 3, to: 'orange' }, { from: 'orange', count: 2, to: 'red' }] as const
// CO with four levels, no dwell: 10 blue, 20 yellow, 30 orange, 40 red
const CO4: RuleSpec = {
  ...CO,
  for: '0s',
  levels: { blue: { at: 10, release: 9 }, yellow: { at: 20, release: 19 }, orange: { at: 30, release: 29 }, red: { at: 40, release: 39 } }
}
const ITEM = { id: 'gas.rollup.item', kind: 'rollup', title: '单元预警', category: 'early_warning', source: 'test', sources: ['gas.*'], groupBy: 'item', steps: STEPS } as unknown as RuleSpec
const SITE = { id: 'gas.rollup.site', kind: 'rollup', title: '矿山预警', category: 'early_warning', source: 'test', sources: ['gas.rollup.item'], groupBy: 'site', steps: STEPS } as unknown as RuleSpec

const coPoints = (n: number, item: string | null = 'A'): Point[] =>
  Array.from({ length: n }, (_, i) => point('S1', `CO-${i + 1}`, 'co', item === null ? {} : { item }))

function setup (points: Point[], rules: RuleSpec[] = [CO4, ITEM, SITE]): ReturnType<typeof harness> & { reg: ReturnType<typeof testRegistry> } {
  const reg = testRegistry([site('S1')], points)
  return { ...harness(reg, rules, { modules: [ROLLUP] }), reg }
}

const levels = (h: ReturnType<typeof harness>, prefix = 'gas.rollup'): Array<[string, string | null]> =>
  h.changes.filter((c) => c.key.startsWith(prefix)).map((c) => [c.key, c.level])

t.test('rollup - counting carries up: members count as one of the next level, never below the highest', async (t) => {
  const n = (blue: number, yellow = 0, orange = 0, red = 0): string | null => rollUp({ blue, yellow, orange, red }, STEPS).level
  t.equal(n(0), null)
  t.equal(n(3), 'blue')
  t.equal(n(4), 'yellow', '4 blue → yellow')
  t.equal(n(0, 3), 'orange', '3 yellow → orange')
  t.equal(n(0, 0, 2), 'red', '2 orange → red')
  t.equal(n(4, 2), 'orange', 'the 4 blue count as a third yellow')
  t.equal(n(11), 'yellow', '11 blue are 2 yellow')
  t.equal(n(12), 'orange', '12 blue are 3 yellow, so orange')
  t.equal(n(0, 0, 0, 1), 'red')
  t.equal(n(1, 0, 1), 'orange', 'the highest member holds without any count')
  t.same(rollUp({ blue: 8, yellow: 1, orange: 0, red: 0 }, STEPS).carried, { blue: 8, yellow: 3, orange: 1, red: 0 })
})

t.test('rollup - sources match by id or prefix, never the rule itself', async (t) => {
  const m = sourceMatcher({ id: 'tailings.rollup.item', sources: ['tailings.*', 'gas.co.limit'] } as unknown as RollupRule)
  t.ok(m('tailings.phreatic.depth'))
  t.ok(m('gas.co.limit'))
  t.notOk(m('gas.co.limit2'), 'an id without * must match exactly')
  t.notOk(m('tailings.rollup.item'), 'not its own conditions')
  t.ok(m('tailings.rollup.site'))
})

t.test('rollup - rule checks: steps go up, one per level; a site roll-up takes no point filters', async (t) => {
  const base = '/groups/0/rules/3'
  const rule = (over: Record<string, unknown>): Parameters<typeof rollupIssues>[0] => def({ ...ITEM, ...over } as RuleSpec)
  t.same(rollupIssues(rule({}), base), [])
  t.same(rollupIssues(rule({ steps: [{ from: 'yellow', count: 3, to: 'blue' }, { from: 'yellow', count: 2, to: 'red' }] }), base).map((i) => [i.path, i.message]), [
    [`${base}/steps/0/to`, 'step goes from yellow to blue: "to" must be above "from"'],
    [`${base}/steps/1/from`, 'a second step from yellow: one step per level']
  ])
  t.same(rollupIssues(rule({ groupBy: 'site', match: { siteKind: ['tailings_pond'] } }), base), [], 'siteKind is fine')
  t.same(rollupIssues(rule({ groupBy: 'site', match: { item: ['A'] } }), base).map((i) => i.path), [`${base}/match`])
})

t.test('rollup - 4 blue points make the item yellow, the site follows, and both clear with the members', async (t) => {
  const h = setup(coPoints(4))
  h.engine.ingest([0, 1, 2].map((i) => row('S1', `CO-${i + 1}`, 0, 12)))
  t.same(levels(h), [['gas.rollup.item|S1|item:A', 'blue'], ['gas.rollup.site|S1|*', 'blue']], 'the highest member level')
  h.read('S1', 'CO-4', 1000, 15)
  t.same(levels(h).slice(2), [['gas.rollup.item|S1|item:A', 'yellow'], ['gas.rollup.site|S1|*', 'yellow']])
  const item = h.changes.find((c) => c.key === 'gas.rollup.item|S1|item:A' && c.level === 'yellow')
  t.match(item, { eventTs: 1000, value: 4, points: [], rule: { ruleId: 'gas.rollup.item', category: 'early_warning' }, message: '矿山S1（S1）A 单元预警：蓝色 4，黄色' })
  h.read('S1', 'CO-4', 2000, 5)
  t.same(levels(h).slice(4), [['gas.rollup.item|S1|item:A', 'blue'], ['gas.rollup.site|S1|*', 'blue']])
  h.engine.ingest([0, 1, 2].map((i) => row('S1', `CO-${i + 1}`, 3000, 5)))
  t.same(levels(h).slice(6), [['gas.rollup.item|S1|item:A', null], ['gas.rollup.site|S1|*', null]])
  t.equal(h.changes.at(-2)?.message, '矿山S1（S1）A 单元预警已解除')
  t.match(h.engine.health().find((r) => r.ruleId === 'gas.rollup.item'), { health: 'ok', failures: 0 })
})

t.test('rollup - points without an item, and sites the match excludes, are not counted', async (t) => {
  const h = setup(coPoints(4, null), [CO4, ITEM, { ...SITE, match: { siteKind: ['tailings_pond'] } } as unknown as RuleSpec])
  h.engine.ingest([0, 1, 2, 3].map((i) => row('S1', `CO-${i + 1}`, 0, 35)))
  t.equal(h.changes.length, 4, 'four orange points')
  t.same(levels(h), [])
})

t.test('rollup - a reload recounts at the next check and keeps the open group levels', async (t) => {
  const h = setup(coPoints(4))
  h.engine.ingest([0, 1, 2].map((i) => row('S1', `CO-${i + 1}`, 0, 12)))
  t.same(levels(h), [['gas.rollup.item|S1|item:A', 'blue'], ['gas.rollup.site|S1|*', 'blue']])
  // the same rules again: nothing to say; then 3 blue count as a yellow
  h.engine.setRules([def(CO4), def(ITEM), def(SITE)])
  h.advanceTo(5000)
  t.equal(levels(h).length, 2, 'an unchanged reload changes nothing')
  const three = { ...ITEM, steps: [{ from: 'blue', count: 3, to: 'yellow' }] } as unknown as RuleSpec
  h.engine.setRules([def(CO4), def(three), def(SITE)])
  h.read('S1', 'CO-4', 6000, 5)
  h.advanceTo(10_000)
  t.same(levels(h).slice(2), [['gas.rollup.item|S1|item:A', 'yellow'], ['gas.rollup.site|S1|*', 'yellow']])
  t.match(h.changes.at(-2), { eventTs: 10_000, late: false }, 'dated by the check that recounted')
  h.read('S1', 'CO-1', 11_000, 5)
  t.same(levels(h).slice(4), [['gas.rollup.item|S1|item:A', 'blue'], ['gas.rollup.site|S1|*', 'blue']], 'members remembered across the reload')
})

t.test('rollup - a point moved to another item is recounted in both', async (t) => {
  const h = setup(coPoints(4))
  h.engine.ingest([0, 1, 2, 3].map((i) => row('S1', `CO-${i + 1}`, 0, 12)))
  t.same(levels(h).slice(-2), [['gas.rollup.item|S1|item:A', 'yellow'], ['gas.rollup.site|S1|*', 'yellow']])
  h.reg.putPoint(point('S1', 'CO-4', 'co', { item: 'B' }))
  h.read('S1', 'CO-1', 1000, 12)
  h.advanceTo(5000)
  t.same(levels(h).slice(4), [
    ['gas.rollup.item|S1|item:A', 'blue'],
    ['gas.rollup.site|S1|*', 'blue'],
    ['gas.rollup.item|S1|item:B', 'blue']
  ], 'A has 3 blue points left, B one; the site has two blue items')
})

t.test('rollup - after a restart, conditions seeded from open alarms are counted', async (t) => {
  const h = setup(coPoints(4))
  h.engine.seed([
    ...[1, 2, 3, 4].map((i) => ({ key: `gas.co.limit|S1|CO-${i}`, level: 'blue' as const, eventTs: 0 })),
    { key: 'gas.rollup.item|S1|item:A', level: 'yellow', eventTs: 0 },
    { key: 'gas.rollup.site|S1|*', level: 'yellow', eventTs: 0 }
  ])
  h.read('S1', 'CO-1', 1000, 12)
  h.advanceTo(5000)
  t.same(h.changes, [], 'the seeded levels agree with the seeded members: nothing to say')
  h.read('S1', 'CO-2', 6000, 5)
  t.same(levels(h), [['gas.rollup.item|S1|item:A', 'blue'], ['gas.rollup.site|S1|*', 'blue']], '3 blue left')
})

t.test('rollup - roll-ups that feed each other settle instead of looping', async (t) => {
  const a = { ...SITE, id: 'loop.a', sources: ['loop.b'], steps: [{ from: 'blue', count: 1, to: 'yellow' }] } as unknown as RuleSpec
  const b = { ...SITE, id: 'loop.b', sources: ['loop.a', 'gas.*'], steps: [{ from: 'blue', count: 1, to: 'yellow' }, { from: 'yellow', count: 1, to: 'orange' }, { from: 'orange', count: 1, to: 'red' }] } as unknown as RuleSpec
  const reg = testRegistry([site('S1')], coPoints(1))
  const h = harness(reg, [CO4, a, b], { modules: [ROLLUP] })
  h.read('S1', 'CO-1', 0, 12)
  t.same(h.changes.map((c) => [c.rule.ruleId, c.level]), [['gas.co.limit', 'blue'], ['loop.b', 'red'], ['loop.a', 'red']],
    'b carries blue up to red; a follows; b, already red, has nothing more to say')
})
