import t from 'tap'
import { rollupRuleIds } from '../../../../src/5-alarm/risk/rollups.js'

t.test('risk rollups - the roll-up rule ids come from the loaded rule set and follow a reload', async (t) => {
  let rules = [{ id: 'tailings.phreatic.depth', kind: 'threshold' }, { id: 'tailings.rollup.item', kind: 'rollup' }, { id: 'tailings.rollup.site', kind: 'rollup' }]
  let reads = 0
  const current = rollupRuleIds(() => { reads++; return rules })
  t.same([...current()].sort(), ['tailings.rollup.item', 'tailings.rollup.site'], 'only rules of kind rollup')
  t.equal(current(), current(), 'the same rule list gives the same set, not a new one per computation')
  t.equal(reads, 3, 'the rule set is read at every call')
  rules = [{ id: 'tailings.rollup.item', kind: 'threshold' }, { id: 'pond.groups', kind: 'rollup' }]
  t.same([...current()], ['pond.groups'], 'a reload that changes the kinds changes the set: the id alone decides nothing')
})
