// backtest - replaying a stored history (a fake source, paged) through a rule set in virtual time: the exact
// changes with their event times and the times they were found, no-data found by the periodic check after
// the last instant, warm-up, the summary per rule, the comparison with stored raises, and the table.
import t from 'tap'
import { changeLines, compareRaises, formatJson, formatTable, raisesOf, replay, runBacktest, type ActualRaise, type StoredRegistry } from '../../../../src/tools/backtest/index.js'
import type { EngineInput } from '../../../../src/4-evaluate/inputs.js'
import { parseRuleFile } from '../../../../src/4-evaluate/load-rules.js'
import type { RuleDef } from '../../../../src/4-evaluate/rule-file.js'
import type { ReadingRow } from '../../../../src/contract/rows.js'
import { point, site } from '../../../helpers/registry.js'
import { coRule } from '../../../helpers/rules.js'
import { fakeHistory } from './fake-history.js'

const T0 = Date.parse('2026-11-20T00:00:00+08:00')
const S = 1000

const NO_DATA = `groups:
  - name: connectivity
    rules:
      - id: connectivity.point.no_data
        kind: no_data
        title: 测点数据中断
        category: fault
        source: test
        hazardClause: null
        scope: point
        missedPeriods: 3
        level: yellow
`

function rules (): RuleDef[] {
  return [coRule('0s'), NO_DATA].flatMap((text, i) => {
    const parsed = parseRuleFile(`r${i}.yaml`, text)
    if (parsed.errors.length > 0) throw new Error(JSON.stringify(parsed.errors))
    return parsed.rules.map((r) => r.def)
  })
}

const registry: StoredRegistry = {
  sites: [site('SG-XS')],
  points: [point('SG-XS', 'CO-101', 'co', { definedAt: T0 - 86_400_000 }), point('SG-XS', 'CO-102', 'co', { definedAt: T0 - 86_400_000 })],
  channels: []
}

const r = (p: string, sec: number, value: number): ReadingRow => ({ site: 'SG-XS', point: p, ts: T0 + sec * S, value, status: 0, receivedAt: T0 + sec * S + 500 })
// CO-101: 10, then 30 ppm twice, then silent; CO-102 5 ppm every 20 s up to 200 s, then silent
const readings = [r('CO-101', 0, 10), r('CO-102', 0, 5), r('CO-101', 20, 30), r('CO-102', 20, 5), r('CO-101', 40, 30)]
for (let sec = 40; sec <= 200; sec += 20) readings.push(r('CO-102', sec, 5))
readings.sort((a, b) => a.ts - b.ts)
const sos: EngineInput[] = [{ type: 'sos', event: { site: 'SG-XS', type: 'sos', card: 'C0042', ts: T0 + 30 * S, receivedAt: T0 + 30 * S } }]

const opts = { from: T0, to: T0 + 300 * S, offlineCheckMs: 5000, lateAfterMs: 60_000 }

t.test('backtest - a replay gives the exact changes, with event time, the level left and the time found', async (t) => {
  const source = fakeHistory(registry, readings, [sos])
  const result = await replay(source, rules(), opts)
  t.same(source.asked, [{ from: T0, to: T0 + 300 * S }], 'the registry is asked for the range')
  t.same(result.changes.map((c) => [c.change.key, c.previous, c.change.level, c.change.eventTs - T0, c.emittedAt - T0]), [
    ['gas.co.limit|SG-XS|CO-101', null, 'yellow', 20 * S, 20 * S],
    // silent for more than 3 × 20 s after 40 s: found at the first 5 s check after 100 s
    ['connectivity.point.no_data|SG-XS|CO-101', null, 'yellow', 100 * S, 105 * S],
    ['connectivity.point.no_data|SG-XS|CO-102', null, 'yellow', 260 * S, 265 * S]
  ])
  t.match(result.changes[0]?.change, { value: 30, limit: 24, late: false, rule: { category: 'over_limit', hazardClause: null } })
  t.same([result.readings, result.inputs, result.instants], [readings.length, 1, 12], 'every reading and input went through, instant by instant')
  t.same(result.warnings, [])
})

t.test('backtest - the range is [from, to): a change decided at `to` is outside it', async (t) => {
  const result = await replay(fakeHistory(registry, readings, []), rules(), { ...opts, to: T0 + 260 * S })
  t.same(result.changes.map((c) => c.change.key), ['gas.co.limit|SG-XS|CO-101', 'connectivity.point.no_data|SG-XS|CO-101'])
})

t.test('backtest - a site that is not registered is named in the warnings', async (t) => {
  const result = await replay(fakeHistory(registry, readings, []), rules(), { ...opts, site: 'NOPE' })
  t.same([result.changes, result.readings, result.warnings], [[], 0, ['site "NOPE" is not registered: no rule applies to it']])
})

t.test('backtest - warm-up history sets the state the range starts from and is not reported', async (t) => {
  const from = T0 + 30 * S
  const cold = await replay(fakeHistory(registry, readings, []), rules(), { ...opts, from })
  t.same(cold.changes.map((c) => [c.change.key, c.change.eventTs - T0]).slice(0, 1), [['gas.co.limit|SG-XS|CO-101', 40 * S]],
    'without warm-up the reading at 40 s raises CO-101 again')
  const source = fakeHistory(registry, readings, [])
  const warm = await replay(source, rules(), { ...opts, from, warmupMs: 30 * S })
  t.same(source.asked, [{ from: T0, to: T0 + 300 * S }], 'history is read from the start of the warm-up')
  t.same(warm.changes.map((c) => [c.change.key, c.previous, c.change.eventTs - T0]), [
    ['connectivity.point.no_data|SG-XS|CO-101', null, 100 * S],
    ['connectivity.point.no_data|SG-XS|CO-102', null, 260 * S]
  ], 'CO-101 was already yellow when the range began')
})

t.test('backtest - a report lists the changes, counts per rule, and compares with the stored raises', async (t) => {
  const stored: ActualRaise[] = [
    { alarmId: 'A1', key: 'gas.co.limit|SG-XS|CO-101', ruleId: 'gas.co.limit', site: 'SG-XS', subject: 'CO-101', eventTs: T0 + 20 * S, level: 'yellow' },
    { alarmId: 'A2', key: 'connectivity.point.no_data|SG-XS|CO-102', ruleId: 'connectivity.point.no_data', site: 'SG-XS', subject: 'CO-102', eventTs: T0 + 262 * S, level: 'yellow' },
    { alarmId: 'A3', key: 'gas.co.limit|SG-XS|CO-102', ruleId: 'gas.co.limit', site: 'SG-XS', subject: 'CO-102', eventTs: T0 + 50 * S, level: 'orange' }
  ]
  const asked: unknown[] = []
  const report = await runBacktest(fakeHistory(registry, readings, [sos]), rules(), {
    ...opts,
    site: 'SG-XS',
    actual: async (range) => { asked.push(range); return stored },
    toleranceMs: 5000
  })
  t.same(asked, [{ from: T0, to: T0 + 300 * S, site: 'SG-XS' }])
  t.same(report.summary, [
    { ruleId: 'connectivity.point.no_data', category: 'fault', raised: 2, changes: 2, maxLevel: 'yellow', subjects: 2 },
    { ruleId: 'gas.co.limit', category: 'over_limit', raised: 1, changes: 1, maxLevel: 'yellow', subjects: 1 }
  ])
  t.same(report.comparison && {
    would: report.comparison.would,
    actual: report.comparison.actual,
    new: report.comparison.new.map((x) => [x.key, x.eventTs - T0]),
    gone: report.comparison.gone.map((x) => x.alarmId)
  }, { would: 3, actual: 3, new: [['connectivity.point.no_data|SG-XS|CO-101', 100 * S]], gone: ['A3'] },
  'CO-102 no-data 2 s apart is the same raise; the stored CO-102 gas alarm is gone')

  t.same(formatTable(report), [
    'backtest 2026-11-20 00:00:00 .. 2026-11-20 00:05:00 (UTC+8) site SG-XS: 2 rules, 14 readings and 1 other inputs replayed',
    '',
    'time (UTC+8)         rule                        site   subject  level        category    message',
    '2026-11-20 00:00:20  gas.co.limit                SG-XS  CO-101   - -> yellow  over_limit  CO-101 CO 30 ppm ≥ 24 ppm，黄色',
    '2026-11-20 00:01:40  connectivity.point.no_data  SG-XS  CO-101   - -> yellow  fault       CO-101 测点数据中断：超过 1 分钟无数据（上报周期 20 秒），黄色',
    '2026-11-20 00:04:20  connectivity.point.no_data  SG-XS  CO-102   - -> yellow  fault       CO-102 测点数据中断：超过 1 分钟无数据（上报周期 20 秒），黄色',
    '',
    'rule                        category    raised  changes  subjects  max level',
    'connectivity.point.no_data  fault       2       2        2         yellow',
    'gas.co.limit                over_limit  1       1        1         yellow',
    '',
    'would raise 3, actually raised 3 (a raise of the same key within 5 s is the same)',
    'new:',
    '  2026-11-20 00:01:40  connectivity.point.no_data  SG-XS  CO-101  yellow',
    'gone:',
    '  2026-11-20 00:00:50  gas.co.limit  SG-XS  CO-102  orange (alarm A3)'
  ], 'the table: changes in Beijing time, the summary per rule, the comparison')

  const json = JSON.parse(formatJson(report))
  t.same(json.lines[0].eventTs, { ms: T0 + 20 * S, beijing: '2026-11-20T00:00:20.000+08:00' })
  t.equal(json.lines.length, 3)
  t.same(json.comparison.gone.map((x: { alarmId: string }) => x.alarmId), ['A3'])
})

t.test('backtest - pairing raises takes the nearest stored raise of the same key within the tolerance', async (t) => {
  const raise = (key: string, ts: number): ReturnType<typeof raisesOf>[number] => ({ key, ruleId: key.split('|')[0] as string, site: 'S', subject: 'P', eventTs: ts, level: 'yellow' })
  const actual = (id: string, key: string, ts: number): ActualRaise => ({ ...raise(key, ts), alarmId: id })
  const c = compareRaises([raise('k1', 100), raise('k1', 200), raise('k2', 100)], [actual('a', 'k1', 190), actual('b', 'k1', 110), actual('c', 'k2', 300)], 20)
  t.same([c.new.map((x) => `${x.key}@${x.eventTs}`), c.gone.map((x) => x.alarmId)], [['k2@100'], ['c']])
  t.same(raisesOf(changeLines([])), [])
})
