import t from 'tap'
import type { RuleSpec } from '../../../src/4-evaluate/rule-file.js'
import { point, site, testRegistry } from '../../helpers/registry.js'
import { harness, summary } from './harness.js'

const POINT: RuleSpec = {
  id: 'connectivity.point.no_data', kind: 'no_data', title: '测点数据中断', category: 'fault', source: 'test', scope: 'point', missedPeriods: 3, level: 'yellow'
}
const SITE: RuleSpec = {
  id: 'connectivity.site.no_data', kind: 'no_data', title: '联网中断', category: 'fault', source: 'test', scope: 'site', missedPeriods: 3, level: 'orange'
}

t.test('engine - a point is offline after 3 missed periods, in virtual time, and data clears it', async (t) => {
  const reg = testRegistry([site('S1')], [point('S1', 'CO-1', 'co', { location: '主井' }), point('S1', 'CO-2', 'co')])
  const h = harness(reg, [POINT, SITE])
  const key = 'connectivity.point.no_data|S1|CO-1'
  // CO-2 keeps reporting, so the site is not silent; CO-1 reports once at 0 and then stops
  h.read('S1', 'CO-1', 0, 1)
  const co2Until = (end: number): void => {
    for (let ts = h.scheduler.now() + 1; ts <= end; ts += 10_000) {
      h.advanceTo(ts)
      h.read('S1', 'CO-2', ts, 1)
    }
    h.advanceTo(end)
  }
  co2Until(60_000)
  t.same(h.changes, [], 'exactly 3 periods (60 s) is not yet more than 3 periods')
  co2Until(65_000)
  t.same(summary(h.changes), [[key, 'yellow', 60_000]], 'raised at the first check after 60 s; eventTs = lastSeen + 60 s')
  t.equal(h.changes[0]?.message, 'CO-1（主井）测点数据中断：超过 1 分钟无数据（上报周期 20 秒），黄色')
  t.same(h.changes[0]?.points, ['CO-1'])
  t.equal(h.changes[0]?.late, false)
  co2Until(200_000)
  t.equal(h.changes.length, 1, 'raised once, not on every check')
  h.read('S1', 'CO-1', 201_000, 1)
  t.same(summary(h.changes).slice(1), [[key, null, 201_000]])
})

t.test('engine - a point that never reported is offline from its definedAt or the engine start', async (t) => {
  const reg = testRegistry([site('S1')], [point('S1', 'A', 'co', { definedAt: 0 }), point('S1', 'B', 'co', { definedAt: 150_000 })])
  const h = harness(reg, [POINT], { start: 100_000 })
  h.advanceTo(160_000)
  t.same(h.changes, [], 'A counts from the engine start (100 s), B from its definition (150 s)')
  h.advanceTo(165_000)
  t.same(summary(h.changes), [['connectivity.point.no_data|S1|A', 'yellow', 160_000]])
  h.advanceTo(215_000)
  t.same(summary(h.changes).slice(1), [['connectivity.point.no_data|S1|B', 'yellow', 210_000]])
})

t.test('engine - a silent site raises one site alarm and no storm of point alarms', async (t) => {
  const points = ['P1', 'P2', 'P3', 'P4', 'P5'].map((c) => point('S1', c, 'co'))
  const reg = testRegistry([site('S1'), site('S2')], [...points, point('S2', 'Q1', 'co', { intervalS: 60 })])
  const h = harness(reg, [POINT, SITE])
  for (const p of points) h.read('S1', p.code, 0, 1)
  h.advanceTo(10 * 60_000)
  const s1 = h.changes.filter((c) => c.siteCode === 'S1')
  t.same(summary(s1), [['connectivity.site.no_data|S1|*', 'orange', 60_000]], 'one site alarm, eventTs = lastSeen + 3 × 20 s')
  t.same(s1[0]?.points, [])
  t.match(s1[0]?.message, /^矿山S1（S1）联网中断：全部测点超过 1 分钟无数据，橙色$/)
  const s2 = h.changes.filter((c) => c.siteCode === 'S2')
  t.same(summary(s2), [['connectivity.site.no_data|S2|*', 'orange', 180_000]], 'S2 (never reported, 60 s period) silent after 3 minutes')

  h.changes.length = 0
  h.read('S1', 'P1', 10 * 60_000 + 1_000, 1)
  t.same(summary(h.changes), [['connectivity.site.no_data|S1|*', null, 601_000]], 'one reading ends the site silence')
  h.changes.length = 0
  h.advanceTo(10 * 60_000 + 5_000)
  t.same(h.changes.map((c) => c.key).sort(), ['P2', 'P3', 'P4', 'P5'].map((c) => `connectivity.point.no_data|S1|${c}`),
    'once the site reports again, the points that still do not are raised one by one')
})

t.test('engine - point alarms already open stay open when the site then goes silent', async (t) => {
  const reg = testRegistry([site('S1')], [point('S1', 'P1', 'co'), point('S1', 'P2', 'co', { intervalS: 60 })])
  const h = harness(reg, [POINT, SITE])
  h.read('S1', 'P1', 0, 1)
  h.read('S1', 'P2', 50_000, 1)
  h.advanceTo(65_000)
  t.same(summary(h.changes), [['connectivity.point.no_data|S1|P1', 'yellow', 60_000]])
  h.advanceTo(115_000)
  t.same(summary(h.changes).slice(1), [['connectivity.site.no_data|S1|*', 'orange', 110_000]],
    'site silent 60 s after its last reading (3 × the smallest period); P1 stays open, P2 is not raised')
  h.advanceTo(600_000)
  t.equal(h.changes.length, 2)
})

t.test('engine - a backfill older than the threshold does not clear a silence', async (t) => {
  const reg = testRegistry([site('S1')], [point('S1', 'P1', 'co'), point('S1', 'P2', 'co')])
  const h = harness(reg, [POINT])
  h.read('S1', 'P2', 0, 1)
  h.advanceTo(300_000)
  const p1 = 'connectivity.point.no_data|S1|P1'
  t.same(summary(h.changes.filter((c) => c.key === p1)), [[p1, 'yellow', 60_000]])
  h.engine.ingest([{ site: 'S1', point: 'P1', ts: 100_000, value: 1, status: 0, receivedAt: 300_000 }])
  h.advanceTo(305_000)
  t.equal(h.changes.filter((c) => c.key === p1).length, 1, 'buffered data from 200 s ago: still silent, no clear and re-raise')
  h.read('S1', 'P1', 300_000, 1)
  const last = h.changes.at(-1)
  t.same([last?.key, last?.level], [p1, null])
})

t.test('engine - a closed site is not checked for silence', async (t) => {
  const reg = testRegistry([site('S1', 'underground', { status: 'closed', timeline: [{ since: 0, status: 'closed' }] })], [point('S1', 'P1', 'co')])
  const h = harness(reg, [POINT, SITE])
  h.advanceTo(600_000)
  t.same(h.changes, [])
})
