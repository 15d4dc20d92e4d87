// Thresholds relative to design values (`scale`), how point limits combine with them, and a hazard
// clause that applies from one level up (`hazardLevel`).
import t from 'tap'
import { designValues, effectiveLevels } from '../../../src/4-evaluate/effective-levels.js'
import { ruleIssues } from '../../../src/4-evaluate/semantic.js'
import type { ThresholdRuleSpec } from '../../../src/4-evaluate/rule-file.js'
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

t.test('effective levels - a point without the design value is judged on its absolute limits, the hazard clause with red', async (t) => {
  // issue 7 item 6: registered with limits { orange: 4.4, red: 4.0 } and no controlDepthM, the point used to be skipped
  const reg = testRegistry([site('T1', 'tailings_pond')], [point('T1', 'PZ-3', 'phreatic_depth', { unit: 'm', limits: { orange: 4.4, red: 4.0 } })])
  const h = harness(reg, [PHREATIC])
  for (const [ts, v] of [[0, 5], [1000, 4.4], [2000, 3.9], [3000, 4.1], [4000, 4.3], [5000, 4.7]] as const) h.read('T1', 'PZ-3', ts, v)
  t.same(h.changes.map((c) => [c.level, c.eventTs, c.limit, c.rule.hazardClause]), [
    ['orange', 1000, 4.4, null],
    ['red', 2000, 4, '浸润线埋深小于控制浸润线埋深'],
    ['orange', 4000, 4.4, null],
    [null, 5000, 4.6, null]
  ], 'orange at 4.4 m, red at 4.0 m with the clause; red held at 4.1 m (release 4.2 = 1.05 × 4.0), orange until its release 4.6 m')
  t.match(h.engine.health()[0], { ruleId: 'tailings.phreatic.depth', health: 'ok' }, 'bound without complaint')
})

t.test('effective levels - design values and absolute limits mix per level; a level with neither keeps the point out', async (t) => {
  const mixed = designValues(POOL, { code: 'PL-2', attributes: { controlLevelM: 182 }, limits: { red: 184.5 } })
  t.same(effectiveLevels(POOL, { red: 184.5 }, mixed), [
    { level: 'yellow', at: 182, release: 181.9 },
    { level: 'red', at: 184.5, release: 184.3 }
  ], 'yellow from controlLevelM, red from the limit with the rule\'s 0.2 m gap')
  t.same(effectiveLevels(PHREATIC, { orange: 4.4, red: 4 }, designValues(PHREATIC, { code: 'PZ-3', limits: { orange: 4.4, red: 4 } })), [
    { level: 'orange', at: 4.4, release: 4.6 },
    { level: 'red', at: 4, release: 4.2 }
  ], 'a factor band\'s release scales with the design value the limit stands for (4.4 ÷ 1.1, 4 ÷ 1.0)')
  t.same(effectiveLevels(PHREATIC, { lowerAlarm: 4.4, lowerRelease: 4.5, red: 4 }, designValues(PHREATIC, { code: 'PZ-3', limits: { lowerAlarm: 4.4, lowerRelease: 4.5, red: 4 } }))[0],
    { level: 'orange', at: 4.4, release: 4.5 }, '报警/解报 give the alarm level (the lowest) absolutely too')
  t.same(designValues(PHREATIC, { code: 'PZ-3', attributes: { controlDepthM: 'n/a' }, limits: { orange: 4.4, red: 4 } })?.values, { orange: 4, red: 4 },
    'an unusable design value is not needed where the limits give the level')
  t.throws(() => designValues(PHREATIC, { code: 'PZ-4', limits: { red: 4 } }),
    /point PZ-4 has no attribute "controlDepthM" \(the design value of rule tailings.phreatic.depth's orange level\), and its limits do not give orange absolutely/)
  t.throws(() => designValues(POOL, { code: 'PL-3', attributes: { designMaxLevelM: 184 }, limits: { orange: 183 } }), /no attribute "controlLevelM".*yellow/,
    'a limit of a level the rule does not use stands for nothing')
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
    [`${base}/match/attributes/controlDepthM`, 'requires attribute "controlDepthM" to be "yes", but scale needs a design value (a number > 0) there: only points whose limits give every level absolutely would be judged']
  ])
  t.same(ruleIssues({ ...PHREATIC, match: { attributes: { controlDepthM: [null, 5] } } }, base), [], 'one usable value in the list is enough')
  t.same(ruleIssues({ ...PHREATIC, match: { attributes: { controlDepthM: null } } }, base).map((i) => i.path), [`${base}/match/attributes/controlDepthM`],
    'requiring the design value to be absent leaves scale nothing to do')
  t.same(ruleIssues({ ...PHREATIC, hazardClause: null }, base).map((i) => i.message),
    ['hazardLevel says from which level hazardClause applies, but the rule has no hazardClause'])
  t.same(ruleIssues({ ...PHREATIC, hazardLevel: 'yellow' }, base).map((i) => i.path), [`${base}/hazardLevel`])
})
