// connectivity.site.silent_producing beyond what a rule test can say: evidence must be live (a backfill
// after a gateway outage is not), a red restored at restart clears on fresh data, and seeded levels hold.
import t from 'tap'
import { POWER } from '../../../../src/4-evaluate/modules/power/index.js'
import type { RuleSpec } from '../../../../src/4-evaluate/rule-file.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point, Site } from '../../../../src/registry/types.js'
import { harness, summary } from '../harness.js'

const MIN = 60_000
const site: Site = { code: 'S1', name: '一号矿', kind: 'underground', status: 'producing', attributes: {}, updatedAt: 0, timeline: [] }
const point: Point = { site: 'S1', code: 'CO-1', quantity: 'co', unit: 'ppm', kind: 'analog', intervalS: 20, attributes: {}, definedAt: 0 }
const SILENT: RuleSpec = { id: 'connectivity.site.silent_producing', kind: 'site_silent_producing', title: '生产期间联网中断', category: 'fault', source: 'test', silentFor: '5m', escalateAfter: '1h', level: 'red' }
const KEY = 'connectivity.site.silent_producing|S1|*'

function snapshot (ts: number, receivedAt: number): Parameters<ReturnType<typeof harness>['engine']['observe']>[0][number] {
  return { type: 'personnel', receivedAt, snapshot: { site: 'S1', ts, headcount: 12, leaders: 1, people: [] } }
}

t.test('silent producing - a backfilled positioning snapshot is no evidence; a live one is', async (t) => {
  const h = harness(new MemoryRegistry([site], [point]), [SILENT], { modules: [POWER], offlineCheckMs: MIN })
  h.read('S1', 'CO-1', 0, 1)
  h.advanceTo(20 * MIN)
  h.engine.observe([snapshot(10 * MIN, 20 * MIN)])
  t.same(summary(h.changes), [], 'dated 10 min, arrived at 20 min: sent after an outage, not live')
  h.engine.observe([snapshot(20 * MIN, 20 * MIN)])
  t.same(summary(h.changes), [[KEY, 'red', 20 * MIN]])
  t.match(h.changes[0], { value: 1200, limit: 300, startedAt: 0, rule: { hazardClause: null }, message: '一号矿（S1）生产期间全部测点已 20 分钟无数据，而人员定位（井下 12 人）仍在上报，疑似关闭或破坏监测监控系统' })
  h.read('S1', 'CO-1', 10 * MIN, 1)
  t.equal(h.changes.length, 1, 'a backfilled reading still 10 min old does not end the silence')
  h.read('S1', 'CO-1', 20 * MIN, 1)
  t.same(summary(h.changes).at(-1), [KEY, null, 20 * MIN])
})

t.test('silent producing - a red restored at restart clears on fresh data and is not raised twice', async (t) => {
  const h = harness(new MemoryRegistry([site], [point]), [SILENT], { modules: [POWER], offlineCheckMs: MIN, start: 100 * MIN })
  h.engine.seed([{ key: KEY, level: 'red', eventTs: 90 * MIN }])
  h.advanceTo(170 * MIN)
  t.same(summary(h.changes), [], 'silent for over an hour since the restart, but the red already stands')
  h.read('S1', 'CO-1', 170 * MIN, 1)
  t.same(summary(h.changes), [[KEY, null, 170 * MIN]])
})

t.test('silent producing - a site never heard from counts from the engine start', async (t) => {
  const h = harness(new MemoryRegistry([site], [point]), [SILENT], { modules: [POWER], offlineCheckMs: MIN, start: 30 * MIN })
  h.advanceTo(91 * MIN)
  t.same(summary(h.changes), [[KEY, 'red', 90 * MIN]])
})
