import t from 'tap'
import { LEVELS, levelRank, type Category, type Level } from '../../../../src/contract/index.js'
import { DEFAULT_RISK_PARAMS, domainOf, levelOf, scoreSite } from '../../../../src/5-alarm/risk/score.js'
import type { RiskInput } from '../../../../src/5-alarm/risk/types.js'

let n = 0
/** alarm builds an open, active, unhandled over_limit alarm of `ruleId` at `level`. */
function alarm (ruleId: string, level: Level, over: Partial<RiskInput> = {}): RiskInput {
  return { alarmId: `A${String(++n).padStart(3, '0')}`, ruleId, category: 'over_limit', level, active: true, state: 'open', hazardClause: null, ...over }
}
const rules = (prefix: string, count: number, level: Level): RiskInput[] => Array.from({ length: count }, (_, i) => alarm(`${prefix}.r${i}`, level))
const fault = (level: Level, over: Partial<RiskInput> = {}): RiskInput => alarm('connectivity.point.no_data', level, { category: 'fault', ...over })

t.test('risk score - no open alarm means score 0 and no level', async (t) => {
  t.same(scoreSite([], null), { score: 0, level: null, contributors: [], domains: [], multiSource: false, floor: null, openAlarms: 0 })
  t.match(scoreSite([alarm('gas.co.limit', 'red', { state: 'closed' })], 'red'), { score: 0, level: null, openAlarms: 0 }, 'closed alarms do not count, whatever the previous level')
})

t.test('risk score - one open active alarm gives its own level', async (t) => {
  const expected: Record<Level, number> = { blue: 3, yellow: 10, orange: 27, red: 50 }
  for (const level of LEVELS) {
    t.match(scoreSite([alarm('gas.co.limit', level)], null), { score: expected[level], level, floor: level, openAlarms: 1, multiSource: false, domains: ['gas'] }, level)
  }
})

t.test('risk score - different rules of one domain roll up 4 blue → yellow, 3 yellow → orange, 2 orange → red', async (t) => {
  t.equal(scoreSite(rules('gas', 3, 'blue'), null).level, 'blue', '3 blue stay blue')
  t.match(scoreSite(rules('gas', 4, 'blue'), null), { level: 'yellow', score: 11.5 }, '4 blue make yellow')
  t.match(scoreSite(rules('gas', 2, 'yellow'), null), { level: 'yellow', score: 19 }, '2 yellow stay yellow')
  t.match(scoreSite(rules('gas', 3, 'yellow'), null), { level: 'orange', score: 27.1 }, '3 yellow make orange')
  t.match(scoreSite(rules('gas', 2, 'orange'), null), { level: 'red', score: 46.7 }, '2 orange make red')
  t.equal(scoreSite(rules('gas', 30, 'red'), null).score, 100, 'the score never exceeds 100')
})

t.test('risk score - further alarms of the same rule count less and less', async (t) => {
  const same = [alarm('gas.co.limit', 'yellow'), alarm('gas.co.limit', 'yellow'), alarm('gas.co.limit', 'yellow')]
  const r = scoreSite(same, null)
  t.match(r, { level: 'yellow', score: 16.6 }, 'three CO points of one rule stay yellow')
  t.same(r.contributors.map((c) => c.weight), [10, 5, 2.5], 'each further one counts half the one before')
  t.equal(scoreSite([alarm('gas.co.limit', 'orange'), alarm('gas.co.limit', 'orange')], null).level, 'orange', 'two orange points of one rule stay orange')
})

t.test('risk score - active alarms from two or more domains earn the multi-source bonus', async (t) => {
  const co = alarm('gas.co.limit', 'yellow')
  const both = scoreSite([co, fault('yellow')], null)
  t.match(both, { level: 'orange', score: 23.7, multiSource: true, domains: ['gas', 'monitoring'] }, 'CO over the limit + a point offline: orange')
  t.match(scoreSite([co, alarm('gas.ch4.limit', 'yellow')], null), { level: 'yellow', score: 19, multiSource: false }, 'two gas alarms: no bonus')
  const monitoring = scoreSite([fault('yellow'), alarm('device.sensor_fault', 'yellow', { category: 'fault' })], null)
  t.match(monitoring, { level: 'yellow', multiSource: false, domains: ['monitoring'] }, 'connectivity and device are one domain')
  const cleared = scoreSite([co, fault('yellow', { active: false })], null)
  t.match(cleared, { level: 'yellow', score: 12.7, multiSource: false, domains: ['gas'] }, 'a cleared alarm earns no bonus')
  const four = scoreSite([alarm('gas.a', 'blue'), alarm('video.b', 'blue'), alarm('personnel.c', 'blue'), alarm('tailings.d', 'blue'), alarm('power.e', 'blue')], null)
  const combined = 1 - 0.97 ** 5
  t.equal(four.score, Math.round(1000 * combined * (1 + 3 * DEFAULT_RISK_PARAMS.multiSourceBonus)) / 10, 'the bonus stops growing at four domains')
})

t.test('risk score - handling lowers the weight but never to zero, and never below an active alarm\'s level', async (t) => {
  const pair = (state: RiskInput['state']): RiskInput[] => [alarm('gas.a', 'yellow', { state }), alarm('gas.b', 'yellow', { state })]
  const open = scoreSite(pair('open'), null).score
  const acked = scoreSite(pair('acknowledged'), null).score
  const dispatched = scoreSite(pair('dispatched'), null).score
  t.ok(open > acked && acked > dispatched && dispatched > 0, `open ${open} > acknowledged ${acked} > dispatched ${dispatched} > 0`)
  t.match(scoreSite([alarm('gas.co.limit', 'red', { state: 'dispatched' })], null), { level: 'red', floor: 'red', score: 45, contributors: [{ weight: 30, state: 'dispatched' }] },
    'a dispatched red alarm keeps the site red: its score is raised to the red threshold')
  const faint = scoreSite([alarm('trend.co.rise', 'blue', { category: 'early_warning', state: 'dispatched', active: false })], null)
  t.match(faint, { level: 'blue', floor: null, score: 0.4 }, 'the faintest open alarm still counts')
})

t.test('risk score - an alarm whose condition ended counts less until it is closed', async (t) => {
  t.match(scoreSite([alarm('gas.co.limit', 'red', { active: false })], null), { level: 'yellow', score: 15, floor: null, domains: [] })
  t.match(scoreSite([alarm('gas.co.limit', 'yellow', { active: false })], null), { level: 'blue', score: 3 })
})

t.test('risk score - a violation meeting a major-hazard clause counts as red', async (t) => {
  // as rules/personnel.yaml raises it: a yellow violation citing the 2020 coal criteria (超定员组织生产)
  const clause = '应急管理部令第4号《煤矿重大事故隐患判定标准》: 超能力、超强度或者超定员组织生产'
  t.match(scoreSite([alarm('personnel.overcrowding.area', 'yellow', { category: 'violation', hazardClause: clause })], null),
    { level: 'red', floor: 'red', score: 50, contributors: [{ level: 'yellow', countedAs: 'red', hazardClause: clause }] })
  t.match(scoreSite([alarm('gas.co.limit', 'yellow', { hazardClause: clause })], null), { level: 'yellow', contributors: [{ countedAs: 'yellow' }] },
    'an over-limit alarm keeps the level its rule gave it')
  t.equal(scoreSite([alarm('video.ai.intrusion', 'yellow', { category: 'violation', hazardClause: '' })], null).level, 'yellow', 'an empty clause is no clause')
})

t.test('risk score - a prediction counts less than a fact', async (t) => {
  const pair = (category: Category): RiskInput[] => [alarm('slope.a', 'orange', { category }), alarm('slope.b', 'orange', { category })]
  t.equal(scoreSite(pair('over_limit'), null).level, 'red', 'two orange facts: red')
  t.match(scoreSite(pair('early_warning'), null), { level: 'orange', score: 38.5 }, 'two orange predictions (0.8 × 27 each): orange')
})

t.test('risk score - a red alarm is never discounted by category: an SOS counts in full', async (t) => {
  const sos = alarm('personnel.sos', 'red', { category: 'early_warning' })
  t.match(scoreSite([sos], null), { level: 'red', score: 50, contributors: [{ ruleId: 'personnel.sos', weight: 50 }] }, 'an SOS weighs as much as any red fact')
  t.equal(scoreSite([sos, alarm('gas.co.limit', 'yellow')], null).score, scoreSite([alarm('personnel.x', 'red'), alarm('gas.co.limit', 'yellow')], null).score,
    'next to another alarm, an SOS counts like a red over-limit alarm')
  t.match(scoreSite([alarm('slope.a', 'orange', { category: 'early_warning' })], null), { score: 22, floor: 'orange', contributors: [{ weight: 21.6 }] },
    'below red, a prediction is still discounted (0.8 × 27 = 21.6, raised to the orange threshold by the floor)')
  t.match(scoreSite([{ ...sos, state: 'dispatched', active: false }], null), { score: 9, contributors: [{ weight: 9 }] },
    'handling and the end of the condition still lower it (50 × 0.6 × 0.3)')
})

t.test('risk score - a roll-up alarm sets a floor at its level and adds no weight on top of its members', async (t) => {
  const ROLLUPS: ReadonlySet<string> = new Set(['tailings.rollup.item', 'tailings.rollup.site'])
  const point = (level: Level, ruleId = 'tailings.phreatic.depth'): RiskInput => alarm(ruleId, level, { hazardClause: 'clause' })
  const item = (level: Level, over: Partial<RiskInput> = {}): RiskInput => alarm('tailings.rollup.item', level, { category: 'early_warning', ...over })
  const site = (level: Level, over: Partial<RiskInput> = {}): RiskInput => alarm('tailings.rollup.site', level, { category: 'early_warning', ...over })

  const one = scoreSite([point('orange'), item('orange'), site('orange')], null, DEFAULT_RISK_PARAMS, ROLLUPS)
  t.match(one, { level: 'orange', score: 27, floor: 'orange', openAlarms: 3, domains: ['tailings'] }, 'one orange point and its roll-ups: orange 27 (was red 55.1)')
  t.same(one.contributors.map((c) => c.ruleId), ['tailings.phreatic.depth'], 'only the point contributes weight')
  t.match(scoreSite([point('yellow'), item('yellow'), site('yellow')], null, DEFAULT_RISK_PARAMS, ROLLUPS), { level: 'yellow', score: 10 },
    'one yellow point and its roll-ups: yellow 10 (was orange 23.8)')

  const two = scoreSite([point('orange'), point('orange'), item('red'), site('red')], null, DEFAULT_RISK_PARAMS, ROLLUPS)
  t.match(two, { level: 'red', score: 45, floor: 'red' }, '2 orange points in one item: the item roll-up is red, the site is red at the red threshold')
  t.equal(scoreSite([point('orange'), point('orange')], null).score, 36.9, 'the two points alone score 36.9: the roll-up adds 45 − 36.9')

  const blues = Array.from({ length: 4 }, () => point('blue', 'tailings.displacement'))
  t.equal(scoreSite(blues, null).level, 'blue', '4 blue points of one rule alone stay blue')
  t.match(scoreSite([...blues, item('yellow'), site('yellow')], null, DEFAULT_RISK_PARAMS, ROLLUPS), { level: 'yellow', score: 10 }, '4 blue points: the item roll-up makes yellow')

  const three = [point('orange', 'tailings.phreatic.depth'), point('orange', 'tailings.dry_beach'), point('orange', 'tailings.freeboard')]
  t.equal(scoreSite([...three, site('red')], null, DEFAULT_RISK_PARAMS, ROLLUPS).score, scoreSite(three, null).score,
    'when the members already score above the roll-up\'s threshold, the roll-up adds nothing')

  t.match(scoreSite([point('yellow'), item('orange', { state: 'dispatched' })], null, DEFAULT_RISK_PARAMS, ROLLUPS), { level: 'orange', score: 22, floor: 'orange' },
    'a dispatched roll-up still holds its level, like any active alarm')
  t.match(scoreSite([point('yellow', 'tailings.pool_level'), item('orange', { active: false })], null, DEFAULT_RISK_PARAMS, ROLLUPS), { level: 'yellow', score: 10, floor: 'yellow' },
    'a roll-up whose condition ended sets no floor and adds no weight')
  t.match(scoreSite([alarm('gas.co.limit', 'yellow'), alarm('mine.rollup', 'yellow', { category: 'early_warning' })], null, DEFAULT_RISK_PARAMS, new Set(['mine.rollup'])),
    { score: 10, multiSource: false, domains: ['gas'] }, 'a roll-up is no domain of its own: no multi-source bonus')
  t.equal(scoreSite([point('orange'), item('orange'), site('orange')], null).level, 'red',
    'roll-ups are known from the rule set, not guessed from the id: without it they count as ordinary alarms')
})

t.test('risk score - levels have hysteresis', async (t) => {
  t.equal(levelOf(21.9, 'yellow'), 'yellow', 'orange is entered at 22, not below')
  t.equal(levelOf(22, 'yellow'), 'orange')
  t.equal(levelOf(19, 'orange'), 'orange', 'orange is held down to 22 − 3')
  t.equal(levelOf(18.9, 'orange'), 'yellow', 'and left below it')
  t.equal(levelOf(42, 'red'), 'red')
  t.equal(levelOf(19.5, 'red'), 'orange', 'lower levels keep their release values when falling from red')
  t.equal(levelOf(5, 'red'), 'blue', 'a fall may skip levels')
  t.equal(levelOf(9, null), 'blue', 'with no previous level, the entry thresholds apply')
  const co = alarm('gas.co.limit', 'yellow')
  const offline = fault('yellow')
  t.match(scoreSite([co, offline], null), { level: 'orange', score: 23.7 }, 'CO and a point offline: orange')
  const dipped = scoreSite([co, { ...offline, state: 'acknowledged' }], 'orange')
  t.equal(dipped.score, 21.5, 'acknowledging the offline alarm brings the score below the orange threshold (22) but not below 19')
  t.equal(dipped.level, 'orange', 'so the level stays orange')
  t.equal(scoreSite([co, { ...offline, state: 'acknowledged' }], 'yellow').level, 'yellow', 'the same score does not enter orange from yellow')
})

t.test('risk score - contributors are the five heaviest alarms, heaviest first', async (t) => {
  const many = [alarm('gas.a', 'blue'), alarm('gas.b', 'red'), alarm('video.c', 'yellow'), alarm('gas.d', 'orange'), alarm('tailings.e', 'blue'), alarm('power.f', 'yellow', { state: 'acknowledged' })]
  const r = scoreSite(many, null)
  t.equal(r.openAlarms, 6)
  t.same(r.contributors.map((c) => [c.ruleId, c.weight]), [['gas.b', 50], ['gas.d', 27], ['video.c', 10], ['power.f', 8], ['gas.a', 3]])
  t.match(r.contributors[0], { domain: 'gas', category: 'over_limit', level: 'red', countedAs: 'red', state: 'open', active: true, hazardClause: null })
})

t.test('risk score - domains come from the rule id', async (t) => {
  t.equal(domainOf('gas.co.limit'), 'gas')
  t.equal(domainOf('personnel.sos'), 'personnel')
  t.equal(domainOf('device.calibration'), 'monitoring')
  t.equal(domainOf('quality.frozen'), 'monitoring')
  t.equal(domainOf('standalone'), 'standalone')
  t.equal(domainOf('trend.co.rise'), 'gas', 'a trend belongs to the domain of its quantity')
  t.equal(domainOf('trend.phreatic.predict'), 'tailings')
  t.equal(domainOf('trend.pool_level.predict'), 'tailings')
  t.equal(domainOf('trend.wind_speed.predict'), 'trend', 'an unmapped quantity stays in trend')
  t.match(scoreSite([alarm('gas.co.limit', 'yellow'), alarm('trend.co.rise', 'yellow', { category: 'early_warning' })], null), { multiSource: false, domains: ['gas'] },
    'a CO rise next to a CO over-limit earns no multi-source bonus')
})

t.test('risk score - invariants over random alarm sets', async (t) => {
  // A small deterministic generator (LCG), so a failure is reproducible.
  let seed = 42
  const rnd = (k: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % k }
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T
  const domains = ['gas', 'video', 'personnel', 'connectivity', 'tailings']
  const categories: Category[] = ['early_warning', 'over_limit', 'violation', 'fault']
  const states = ['open', 'acknowledged', 'dispatched'] as const
  const ROLLUPS: ReadonlySet<string> = new Set(['tailings.rollup.item', 'tailings.rollup.site'])
  const rollup = (): RiskInput => alarm(pick([...ROLLUPS]), pick(LEVELS), { category: 'early_warning', state: pick(states), active: rnd(3) > 0 })
  const random = (): RiskInput => rnd(6) === 0
    ? rollup()
    : alarm(`${pick(domains)}.r${rnd(3)}`, pick(LEVELS), { category: pick(categories), state: pick(states), active: rnd(3) > 0, hazardClause: rnd(5) === 0 ? 'clause' : null })
  const score = (set: RiskInput[]) => scoreSite(set, null, DEFAULT_RISK_PARAMS, ROLLUPS)
  let failures = 0
  for (let i = 0; i < 500; i++) {
    const set = Array.from({ length: rnd(8) }, random)
    const r = score(set)
    const more = score([...set, random()])
    const up = { ...rollup(), active: true }
    const withRollup = score([...set, up])
    const activeTop = Math.max(-1, ...set.filter((a) => a.active).map((a) => a.category === 'violation' && a.hazardClause !== null ? 3 : levelRank(a.level)))
    const ok = r.score >= 0 && r.score <= 100 &&
      (set.length === 0) === (r.level === null) &&
      (r.level === null ? -1 : levelRank(r.level)) >= activeTop &&
      more.score >= r.score &&
      withRollup.score === Math.max(r.score, DEFAULT_RISK_PARAMS.thresholds[up.level])
    if (!ok) { failures++; t.fail('invariant broken', { set, r, more, up, withRollup }) }
  }
  t.equal(failures, 0, '500 random sets with roll-ups: score in 0..100, null only when empty, never below an active alarm, monotone in added alarms, ' +
    'an active roll-up only lifts the score to its level\'s threshold')
})
