// Thresholds relative to design values (`scale`), how point limits combine with them, and a hazard
// clause that applies from one level up (`hazardLevel`).
import t from 'tap'
import { designValues, effectiveLevels } from '../../../src/engine/effective-levels.js'
import { ruleIssues } from '../../../src/engine/semantic.js'
import type { ThresholdRuleSpec } from '../../../src/engine/rule-file.js'
import { point, site, testRegistry } from '../../helpers/registry.js'
import { harness, summary } from './harness.js'

const PHREATIC: ThresholdRuleSpec = {
  id: 'tailings.phreatic.depth',
  kind: 'threshold',
  title: '浸润线埋深不足',
  category: 'over_limit',
  source: 'test',
  hazardClause: '浸润线埋深小于控制浸润线埋深',
  match: { quantity: ['phreatic_depth'] },
  direction: 'lower',
  scale: { attribute: 'controlDepthM' },
  levels: { orange: { at: 1.1, release: 1.15 }, red: { at: 1.0, release: 1.05 } },
  hazardLevel: 'red'
}

const POOL: ThresholdRuleSpec = {
  id: 'tailings.pool_level',
  kind: 'threshold',
  title: '库水位',
  category: 'over_limit',
  source: 'test',
  direction: 'upper',
  scale: { attribute: 'controlLevelM', levels: { red: 'designMaxLevelM' }, by: 'offset' },
  levels: { yellow: { at: 0, release: -0.1 }, red: { at: 0, release: -0.2 } }
}

t.test('effective levels - factors of the point\'s design value, without float noise', async (t) => {
  const design = designValues(PHREATIC, { code: 'PZ-1', attributes: { controlDepthM: 7 } })
  t.same(design, { by: 'factor', values: { orange: 7, red: 7 } })
  t.same(effectiveLevels(PHREATIC, undefined, design), [
    { level: 'orange', at: 7.7, release: 8.05 },
    { level: 'red', at: 7, release: 7.35 }
  ], '1.1 × 7 reads 7.7, not 7.700000000000001')
  t.same(designValues(PHREATIC, { code: 'PZ-1', attributes: { controlDepthM: ' 4 ' } })?.values.red, 4, 'a numeric string is a number')
  t.equal(designValues({ ...PHREATIC, scale: undefined }, { code: 'PZ-1' }), undefined, 'no scale, no design values')
})

t.test('effective levels - offsets from a design value per level', async (t) => {
  const design = designValues(POOL, { code: 'PL-1', attributes: { controlLevelM: 182, designMaxLevelM: 184 } })
  t.same(effectiveLevels(POOL, undefined, design), [
    { level: 'yellow', at: 182, release: 181.9 },
    { level: 'red', at: 184, release: 183.8 }
  ])
  t.same(designValues(POOL, { code: 'PL-1', attributes: { controlLevelM: -3, designMaxLevelM: -1 } })?.values, { yellow: -3, red: -1 },
    'an offset may be relative to a value ≤ 0 (an elevation below the datum)')
})

t.test('effective levels - the point\'s limits override the scaled values, keeping the scaled gap', async (t) => {
  const design = designValues(PHREATIC, { code: 'PZ-1', attributes: { controlDepthM: 5 } })
  t.same(effectiveLevels(PHREATIC, { red: 4 }, design), [
    { level: 'orange', at: 5.5, release: 5.75 },
    { level: 'red', at: 4, release: 4.25 }
  ], 'red at the absolute 4 m; its release keeps the gap 0.05 × 5')
  t.same(effectiveLevels(PHREATIC, { lowerAlarm: 6, lowerRelease: 6.5 }, design)[0], { level: 'orange', at: 6, release: 6.5 },
    'lowerAlarm/lowerRelease set the alarm level (the lowest) outright')
})

t.test('effective levels - a point without a usable design value is refused with a reason', async (t) => {
  t.throws(() => designValues(PHREATIC, { code: 'PZ-9', attributes: {} }), /point PZ-9 has no attribute "controlDepthM"/)
  t.throws(() => designValues(PHREATIC, { code: 'PZ-9', attributes: { controlDepthM: 0 } }), /"controlDepthM" is 0, not a number > 0/)
  t.throws(() => designValues(PHREATIC, { code: 'PZ-9', attributes: { controlDepthM: 'deep' } }), /is "deep", not a number > 0/)
  t.throws(() => designValues(POOL, { code: 'PL-9', attributes: { controlLevelM: 182 } }), /no attribute "designMaxLevelM"/)
  const upsideDown = designValues(POOL, { code: 'PL-9', attributes: { controlLevelM: 185, designMaxLevelM: 184 } })
  t.throws(() => effectiveLevels(POOL, undefined, upsideDown), /put red at 184, below yellow at 185/,
    'design values out of order would make the step skip levels')
})

t.test('effective levels - the engine leaves a point without the design value unbound and says so in health', async (t) => {
  const reg = testRegistry([site('T1', 'tailings_pond')], [
    point('T1', 'PZ-1', 'phreatic_depth', { unit: 'm', attributes: { controlDepthM: 5 } }),
    point('T1', 'PZ-2', 'phreatic_depth', { unit: 'm' })
  ])
  const h = harness(reg, [PHREATIC])
  h.read('T1', 'PZ-2', 0, 0.1)
  h.read('T1', 'PZ-1', 0, 5.4)
  h.read('T1', 'PZ-1', 1000, 4.9)
  t.same(summary(h.changes), [
    ['tailings.phreatic.depth|T1|PZ-1', 'orange', 0],
    ['tailings.phreatic.depth|T1|PZ-1', 'red', 1000]
  ], 'PZ-2 raises nothing; PZ-1 is judged against its own control depth')
  t.match(h.engine.health()[0], { ruleId: 'tailings.phreatic.depth', health: 'err', lastError: /point PZ-2 has no attribute "controlDepthM"/ })
})

t.test('effective levels - hazardLevel: the clause comes with red only, and with the clear of a red', async (t) => {
  const reg = testRegistry([site('T1', 'tailings_pond')], [point('T1', 'PZ-1', 'phreatic_depth', { unit: 'm', attributes: { controlDepthM: 5 } })])
  const h = harness(reg, [PHREATIC])
  for (const [ts, v] of [[0, 5.4], [1000, 4.9], [2000, 5.6], [3000, 5.0], [4000, 6]] as const) h.read('T1', 'PZ-1', ts, v)
  t.same(h.changes.map((c) => [c.level, c.rule.hazardClause]), [
    ['orange', null],
    ['red', '浸润线埋深小于控制浸润线埋深'],
    ['orange', null],
    ['red', '浸润线埋深小于控制浸润线埋深'],
    [null, '浸润线埋深小于控制浸润线埋深']
  ])
  t.equal(h.changes[1]?.message, 'PZ-1 浸润线埋深 4.9 m ≤ 5 m，升级为红色', 'the limit in the message is the scaled one')
})

t.test('effective levels - rule checks of scale and hazardLevel', async (t) => {
  const base = '/groups/0/rules/0'
  t.same(ruleIssues(PHREATIC, base), [])
  t.same(ruleIssues(POOL, base), [], 'levels relative to different attributes are not compared by at')
  const sameAttribute: ThresholdRuleSpec = { ...POOL, scale: { attribute: 'controlLevelM', by: 'offset' } }
  t.same(ruleIssues({ ...sameAttribute, levels: { yellow: { at: 0, release: -0.1 }, orange: { at: 0, release: -0.1 } } }, base).map((i) => i.path),
    [`${base}/levels/orange/at`], 'levels relative to the same attribute still have to rise')
  const bad: ThresholdRuleSpec = {
    ...PHREATIC,
    scale: { attribute: 'controlDepthM', levels: { yellow: 'x' } },
    levels: { orange: { at: 1.1, release: 1.15 }, red: { at: 0, release: 0.05 } },
    match: { attributes: { controlDepthM: 'yes' } }
  }
  t.same(ruleIssues(bad, base).map((i) => [i.path, i.message]), [
    [`${base}/scale/levels/yellow`, 'names level "yellow", which this rule does not define'],
    [`${base}/levels/red/at`, 'at 0 must be a factor > 0 of attribute "controlDepthM" (scale)'],
    [`${base}/match/attributes/controlDepthM`, 'requires attribute "controlDepthM" to be "yes", but scale needs a design value (a number > 0) there: the rule would bind no point']
  ])
  t.same(ruleIssues({ ...PHREATIC, match: { attributes: { controlDepthM: [null, 5] } } }, base), [], 'one usable value in the list is enough')
  t.same(ruleIssues({ ...PHREATIC, match: { attributes: { controlDepthM: null } } }, base).map((i) => i.path), [`${base}/match/attributes/controlDepthM`],
    'requiring the design value to be absent binds nothing')
  t.same(ruleIssues({ ...PHREATIC, hazardClause: null }, base).map((i) => i.message),
    ['hazardLevel says from which level hazardClause applies, but the rule has no hazardClause'])
  t.same(ruleIssues({ ...PHREATIC, hazardLevel: 'yellow' }, base).map((i) => i.path), [`${base}/hazardLevel`])
})
