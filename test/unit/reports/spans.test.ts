// Span algebra of the KPI report, and the windows and ranks its alarm figures use.
import t from 'tap'
import { intersect, measure, normalize, subtract, union } from '../../../src/reports/spans.js'
import { nearestRank, peakWindow } from '../../../src/reports/alarms.js'

t.test('spans - normalize, measure, intersect, subtract, union', async (t) => {
  t.same(normalize([[5, 7], [1, 3], [3, 4], [2, 2], [6, 9]]), [[1, 4], [5, 9]], 'sorted, touching and overlapping merged, empty dropped')
  t.equal(measure([[0, 10], [5, 15], [20, 21]]), 16, 'overlaps counted once')
  t.same(intersect([[0, 10], [20, 30]], [[5, 25]]), [[5, 10], [20, 25]])
  t.same(intersect([[0, 10]], [[10, 20]]), [], 'half-open: touching is no overlap')
  t.same(intersect([[0, Infinity]], [[3, 4]]), [[3, 4]], 'an open end')
  t.same(subtract([[0, 10]], [[2, 3], [5, 7], [9, 12]]), [[0, 2], [3, 5], [7, 9]])
  t.same(subtract([[0, 10]], [[-5, 20]]), [])
  t.same(subtract([[0, 10], [20, 30]], []), [[0, 10], [20, 30]])
  t.same(union([[0, 2]], [[1, 3]], [[5, 6]]), [[0, 3], [5, 6]])
})

t.test('nearestRank - the p-quantile is a value of the list', async (t) => {
  t.equal(nearestRank([], 0.5), null)
  t.equal(nearestRank([7], 0.9), 7)
  t.equal(nearestRank([1, 2, 3, 4], 0.5), 2, 'ceil(0.5 × 4) = 2nd')
  t.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9, 'ceil(0.9 × 10) = 9th')
  t.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9), 10, 'ceil(9.9) = 10th')
})

t.test('peakWindow - the most raises in any 10 minutes (t − 10 min, t]', async (t) => {
  const m = 60_000
  t.equal(peakWindow([]), 0)
  t.equal(peakWindow([0, 10 * m]), 1, 'exactly 10 min apart: not in one window')
  t.equal(peakWindow([0, 10 * m - 1]), 2)
  t.equal(peakWindow([30 * m, 0, 1 * m, 31 * m, 32 * m, 2 * m, 3 * m]), 4, 'in any order')
})
