// The trend kinds inside a real engine: what a change carries (SL-2's predicted time), and the engine's
// guarantees — out-of-order and duplicate readings skipped, state shared with seeds, windows kept across a
// recompile, one point without its design value harming no other.
import { readFile } from 'node:fs/promises'
import { Ajv } from 'ajv'
import formats from 'ajv-formats'
import t from 'tap'
import { transition } from '../../../../src/5-alarm/transition.js'
import { toAlarmMessage } from '../../../../src/6-publish/message.js'
import type { RuleSpec } from '../../../../src/4-evaluate/rule-file.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point, Site } from '../../../../src/registry/types.js'
import { def, harness } from '../harness.js'

const MIN = 60_000
const HOUR = 60 * MIN
const pit: Site = { code: 'P1', name: '东露天采场', kind: 'open_pit', status: 'producing', attributes: {}, updatedAt: 0, timeline: [] }
const mine: Site = { ...pit, code: 'C1', name: 'C1', kind: 'coal_mine' }
const gnss: Point = { site: 'P1', code: 'G3', quantity: 'displacement_3d', unit: 'mm', kind: 'analog', intervalS: 600, location: '东帮 3# GNSS', attributes: {}, definedAt: 0 }
const co = (code: string, over: Partial<Point> = {}): Point => ({ site: 'C1', code, quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 60, attributes: {}, definedAt: 0, ...over })

const INVERSE: RuleSpec = {
  id: 'slope.inverse_velocity',
  kind: 'inverse_velocity',
  title: '速度倒数',
  category: 'early_warning',
  source: 'test',
  match: { quantity: ['displacement_3d'] },
  window: '2h',
  velocityWindow: '1h',
  horizon: '4h',
  minVelocityPerHour: 0.8
}
const RISE: RuleSpec = {
  id: 'trend.co.rise',
  kind: 'rate',
  title: 'CO 上升',
  category: 'early_warning',
  source: 'test',
  match: { quantity: ['co'] },
  window: '10m',
  per: '1h',
  direction: 'upper',
  minSamples: 5,
  levels: { yellow: { at: 6, release: 3 } }
}
const PREDICT: RuleSpec = {
  id: 'trend.co.predict',
  kind: 'predict',
  title: 'CO 预测',
  category: 'early_warning',
  source: 'test',
  match: { quantity: ['co'] },
  window: '10m',
  horizon: '30m',
  direction: 'upper',
  limitAttribute: 'alarmPpm',
  minSamples: 5,
  levels: { yellow: { at: 30, release: 40 } }
}

t.test('trends engine - inverse velocity publishes the predicted failure time in the change and its message', async (t) => {
  const h = harness(new MemoryRegistry([pit], [gnss]), [INVERSE])
  // v = 1 mm/h · 10 h / (10 h − t): 1/v reaches zero at 10 h
  for (let k = 0; k <= 58; k++) {
    const ts = k * 10 * MIN
    h.advanceTo(ts)
    h.read('P1', 'G3', ts, Math.round(-10 * Math.log(1 - ts / (10 * HOUR)) * 100) / 100)
  }
  t.equal(h.changes.length, 1)
  const c = h.changes[0]
  t.equal(c?.level, 'red')
  t.equal(c?.eventTs, 6 * HOUR)
  t.ok(Math.abs((c?.predictedAt ?? 0) - 10 * HOUR) < 5 * MIN, `predicted ${((c?.predictedAt ?? 0) / HOUR).toFixed(3)} h, failure at 10 h`)
  t.ok(Math.abs((c?.value ?? 0) - 4) < 0.1, 'value: hours to failure')
  t.equal(c?.limit, 4, 'limit: the horizon in hours')
  // epoch 0 + 9 h 59 min is 17:59 in Beijing
  t.equal(c?.message, 'G3（东帮 3# GNSS）累计位移速率 2.23 mm/h，速度倒数法预测 1970-01-01 17:59（北京时间）失稳破坏，距今 3.99 小时，红色')
  if (c === undefined) return
  // through the alarm transition into the published message: predictedAt is an extension of alarm-message.json
  const r = transition(undefined, c, { now: 6 * HOUR, newId: () => 'A1' })
  if (!('record' in r) || r.record === undefined) throw new Error('no record')
  const msg = toAlarmMessage(r.record)
  t.equal(msg.predictedAt, new Date(c.predictedAt ?? 0).toISOString())
  const ajv = new Ajv({ allErrors: true, strict: false })
  formats.default(ajv)
  for (const name of ['common.json', 'alarm-message.json']) ajv.addSchema(JSON.parse(await readFile(new URL(`../../../../schemas/${name}`, import.meta.url), 'utf8')))
  const validate = ajv.getSchema('https://minewatch.example/schemas/v1/alarm-message.json')
  t.ok(validate?.(msg), JSON.stringify(validate?.errors ?? null))
  t.ok(validate?.({ ...msg, predictedAt: 'tomorrow' }) === false, 'a predictedAt that is no date-time is refused')
})

t.test('trends engine - duplicate and out-of-order readings are skipped, not judged', async (t) => {
  const h = harness(new MemoryRegistry([mine], [co('CO-1')]), [RISE])
  for (let m = 0; m <= 10; m++) {
    h.advanceTo(m * MIN)
    h.read('C1', 'CO-1', m * MIN, 5)
    // a resend of the previous minute with a wild value: if it entered the window the flat line would tilt
    if (m > 0) h.read('C1', 'CO-1', (m - 1) * MIN, 50)
  }
  t.same(h.changes, [], 'a flat line stays flat')
  t.ok(h.engine.stats().outOfOrder >= 10, 'each resend counted as out of order')
})

t.test('trends engine - a condition restored from an open alarm clears through the rule, and replayed readings only fill the window', async (t) => {
  const h = harness(new MemoryRegistry([mine], [co('CO-1')]), [RISE])
  h.engine.seed([{ key: 'trend.co.rise|C1|CO-1', level: 'yellow', eventTs: 5 * MIN }])
  for (let m = 0; m <= 12; m++) {
    h.advanceTo(m * MIN)
    h.read('C1', 'CO-1', m * MIN, 5)
  }
  t.same(h.changes.map((c) => [c.key, c.level, c.eventTs / MIN]), [['trend.co.rise|C1|CO-1', null, 6]], 'cleared by the first reading after the seed')
})

t.test('trends engine - a recompile keeps each point\'s window', async (t) => {
  const reg = new MemoryRegistry([mine], [co('CO-1')])
  const h = harness(reg, [RISE])
  const feed = (from: number, to: number): void => {
    for (let m = from; m <= to; m++) {
      h.advanceTo(m * MIN)
      h.read('C1', 'CO-1', m * MIN, 5 + 0.2 * m) // 12 ppm/h
    }
  }
  feed(0, 3)
  h.engine.setRules([{ ...RISE, title: 'CO 上升（改名）' }].map((r) => ({ ...r, ruleVersion: 'v1', file: 't', group: 'g' })))
  h.engine.setRules([{ ...RISE }].map((r) => ({ ...r, ruleVersion: 'v2', file: 't', group: 'g' })))
  feed(4, 5)
  t.same(h.changes.map((c) => [c.level, c.eventTs / MIN]), [], 'a new rule version starts a fresh window: 2 samples are not enough')
  const same = harness(reg, [RISE])
  for (let m = 0; m <= 5; m++) {
    same.advanceTo(m * MIN)
    same.read('C1', 'CO-1', m * MIN, 5 + 0.2 * m)
    // another rule joins: the rule set is recompiled, trend.co.rise itself is unchanged
    if (m === 3) same.engine.setRules([def(RISE), def({ ...RISE, id: 'other' })])
  }
  // judged once the 10 min window spans 5 min: 12 ppm/h ≥ 6
  t.same(same.changes.map((c) => [c.key, c.level, c.eventTs / MIN]), [['trend.co.rise|C1|CO-1', 'yellow', 5]],
    'an unchanged rule keeps its window across setRules; the new one starts its own (2 samples: not judged yet)')
})

t.test('trends engine - a point without the limit to predict against is not bound, and the rule reports it while judging the others', async (t) => {
  const reg = new MemoryRegistry([mine], [co('CO-1', { attributes: { alarmPpm: 24 } }), co('CO-2')])
  const h = harness(reg, [PREDICT])
  for (let m = 0; m <= 20; m++) {
    h.advanceTo(m * MIN)
    h.read('C1', 'CO-1', m * MIN, 5 + 0.5 * m)
    h.read('C1', 'CO-2', m * MIN, 5 + 0.5 * m)
  }
  // CO-1: 0.5 ppm/min, minutes = (24 − v) / 0.5 ≤ 30 from v ≥ 9, i.e. 8 min, judged from 5 min (window half full)
  t.same(h.changes.map((c) => [c.key, c.level, c.eventTs / MIN]), [['trend.co.predict|C1|CO-1', 'yellow', 8]])
  t.match(h.changes[0]?.message, /^CO-1 CO按当前趋势（30 ppm\/h）预计 30 分钟后达到 24 ppm（当前 9 ppm），黄色$/)
  const health = h.engine.health().find((x) => x.ruleId === 'trend.co.predict')
  t.equal(health?.health, 'err')
  t.match(health?.lastError, /CO-2 has no limit/)
})
