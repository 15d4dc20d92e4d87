// quality.frozen in an engine: epsilon, neighbourhoods by area, switch points, and restarts.
import t from 'tap'
import type { RuleSpec } from '../../../../src/4-evaluate/rule-file.js'
import { MemoryRegistry } from '../../../../src/registry/memory.js'
import type { Point, Site } from '../../../../src/registry/types.js'
import { harness } from '../harness.js'

const MIN = 60_000
const site: Site = { code: 'U1', name: 'U1', kind: 'underground', status: 'producing', attributes: {}, updatedAt: 0, timeline: [] }
const pt = (code: string, over: Partial<Point> = {}): Point => ({ site: 'U1', code, quantity: 'temperature', unit: '℃', kind: 'analog', intervalS: 60, range: [-20, 80], attributes: {}, definedAt: 0, ...over })
const FROZEN: RuleSpec = { id: 'quality.frozen', kind: 'frozen', title: '数据冻结', category: 'fault', source: 'test', for: '10m', minNeighbours: 2, level: 'yellow' }

/** feed gives each point its value for minute m (0..minutes) */
function feed (h: ReturnType<typeof harness>, minutes: number, values: Record<string, (m: number) => number>): void {
  for (let m = 0; m <= minutes; m++) {
    h.advanceTo(m * MIN)
    for (const [code, f] of Object.entries(values)) h.read('U1', code, m * MIN, f(m))
  }
}

const moving = (m: number): number => 20 + (m % 3) * 0.1

t.test('quality frozen - within epsilon counts as unchanged, beyond it breaks the run', async (t) => {
  const h = harness(new MemoryRegistry([site], [pt('T1'), pt('T2'), pt('T3')]), [{ ...FROZEN, epsilon: 0.05 }])
  feed(h, 14, { T1: (m) => (m < 13 ? 25 + (m % 2) * 0.05 : 25.2), T2: moving, T3: (m) => moving(m + 1) })
  t.same(h.changes.map((c) => [c.key, c.level, c.eventTs / MIN, (c.startedAt ?? 0) / MIN]), [
    ['quality.frozen|U1|T1', 'yellow', 10, 0],
    ['quality.frozen|U1|T1', null, 13, 0]
  ])
  t.match(h.changes[0]?.message, /^T1 读数 25 ℃ 已 10 分钟未变化，同期 2 个相邻同类测点有变化，疑似传感器故障或数据篡改，黄色$/)
})

t.test('quality frozen - with neighbourhood area, only the points of the same area are neighbours', async (t) => {
  const points = [pt('T1', { area: 'A1' }), pt('T2', { area: 'A1' }), pt('T3', { area: 'A2' }), pt('T4', { area: 'A2' })]
  const h = harness(new MemoryRegistry([site], points), [{ ...FROZEN, minNeighbours: 1, neighbourhood: 'area' }])
  // T1 frozen with its A1 neighbour T2 frozen too; T3 frozen while its A2 neighbour T4 moves
  feed(h, 12, { T1: () => 25, T2: () => 24, T3: () => 23, T4: moving })
  t.same(h.changes.map((c) => [c.key, c.level]), [['quality.frozen|U1|T3', 'yellow']])
})

t.test('quality frozen - switch points are never judged', async (t) => {
  const points = [pt('F1', { kind: 'switch', quantity: 'fan_status', range: [0, 1] }), pt('F2', { kind: 'switch', quantity: 'fan_status', range: [0, 1] }), pt('F3', { kind: 'switch', quantity: 'fan_status', range: [0, 1] })]
  const h = harness(new MemoryRegistry([site], points), [FROZEN])
  feed(h, 15, { F1: () => 1, F2: (m) => m % 2, F3: (m) => (m + 1) % 2 })
  t.same(h.changes, [])
})

t.test('quality frozen - a condition restored at restart is not cleared by the first reading, only by a change', async (t) => {
  const h = harness(new MemoryRegistry([site], [pt('T1'), pt('T2'), pt('T3')]), [FROZEN])
  h.engine.seed([{ key: 'quality.frozen|U1|T1', level: 'yellow', eventTs: 0 }])
  feed(h, 5, { T1: (m) => (m < 5 ? 25 : 26), T2: moving, T3: moving })
  t.same(h.changes.map((c) => [c.key, c.level, c.eventTs / MIN]), [['quality.frozen|U1|T1', null, 5]])
})
