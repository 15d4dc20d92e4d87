// Personnel positioning (access standard section 4), the pure part: a schema-valid snapshot or event becomes what
// is stored, or a 400 naming the JSON path at fault; and the QuestDB rows built from it.
import t from 'tap'
import { checkEvent, checkSnapshot, eventRow, snapshotRows } from '../../../../src/1-ingest/personnel/rows.js'
import type { TimeBounds } from '../../../../src/1-ingest/validate.js'

const NOW = Date.parse('2026-11-21T00:00:30.000Z')
const BOUNDS: TimeBounds = { maxFutureSkewMs: 300_000, rawRetentionMs: 90 * 86_400_000 }

function errorOf (fn: () => unknown): { statusCode?: number, code?: string, details?: unknown } {
  try { fn() } catch (err) { return err as { statusCode?: number, code?: string, details?: unknown } }
  throw new Error('expected an error')
}

t.test('personnel rows - a snapshot with an offset becomes epoch ms, headcount and leaders counted', async (t) => {
  const s = checkSnapshot('S1', {
    ts: '2026-11-21T08:00:30+08:00',
    people: [
      { card: 'C0042', name: '张三', role: 'leader', area: 'A3', enteredAt: '2026-11-21T06:58:00+08:00' },
      { card: 'C0043', role: 'worker' }
    ]
  }, BOUNDS, NOW)
  t.same(s, {
    site: 'S1',
    ts: NOW,
    headcount: 2,
    leaders: 1,
    people: [
      { card: 'C0042', role: 'leader', name: '张三', area: 'A3', enteredAt: Date.parse('2026-11-20T22:58:00Z') },
      { card: 'C0043', role: 'worker' }
    ]
  })
  const rows = snapshotRows(s)
  t.same(rows.people[0], {
    symbols: { site: 'S1', card: 'C0042', role: 'leader', area: 'A3' },
    columns: { name: '张三', entered_at: Date.parse('2026-11-20T22:58:00Z'), headcount: 2 },
    ints: ['headcount'],
    timestamps: ['entered_at'],
    ts: NOW
  })
  t.same(rows.people[1]?.symbols, { site: 'S1', card: 'C0043', role: 'worker' }, 'no area: no symbol')
  t.same(rows.people[1]?.columns, { name: undefined, entered_at: undefined, headcount: 2 }, 'absent columns are left out of the line')
  t.same(rows.headcount, { symbols: { site: 'S1' }, columns: { headcount: 2, leaders: 1 }, ints: ['headcount', 'leaders'], ts: NOW })
})

t.test('personnel rows - an empty snapshot has no person rows but a headcount row of 0', async (t) => {
  const s = checkSnapshot('S1', { ts: NOW, people: [] }, BOUNDS, NOW)
  t.same(s, { site: 'S1', ts: NOW, headcount: 0, leaders: 0, people: [] })
  const rows = snapshotRows(s)
  t.same(rows.people, [])
  t.same(rows.headcount.columns, { headcount: 0, leaders: 0 })
})

t.test('personnel rows - a card listed twice is a 400 naming each repeat by /people/i/card', async (t) => {
  const err = errorOf(() => checkSnapshot('S1', {
    ts: NOW,
    people: [{ card: 'C1', role: 'worker' }, { card: 'C2', role: 'worker' }, { card: 'C1', role: 'leader' }, { card: 'C2', role: 'visitor' }]
  }, BOUNDS, NOW))
  t.equal(err.statusCode, 400)
  t.equal(err.code, 'MW_ERR_INVALID_BODY')
  t.same(err.details, [
    { index: 2, path: '/people/2/card', message: 'card "C1" is already listed at /people/0' },
    { index: 3, path: '/people/3/card', message: 'card "C2" is already listed at /people/1' }
  ])
})

t.test('personnel rows - ts outside the ingest bounds or not a real time is a 400 naming /ts', async (t) => {
  const future = errorOf(() => checkSnapshot('S1', { ts: NOW + 301_000, people: [] }, BOUNDS, NOW))
  t.equal(future.statusCode, 400)
  t.match(future.details, [{ path: '/ts', message: /301 s in the future/ }])
  const old = errorOf(() => checkSnapshot('S1', { ts: NOW - 91 * 86_400_000, people: [] }, BOUNDS, NOW))
  t.match(old.details, [{ path: '/ts', message: /older than/ }])
  const bad = errorOf(() => checkEvent('S1', { type: 'sos', card: 'C1', ts: '2026-13-01T00:00:00Z' }, BOUNDS, NOW))
  t.match(bad.details, [{ path: '/ts', message: 'is not a valid timestamp' }])
  const entered = errorOf(() => checkSnapshot('S1', { ts: NOW, people: [{ card: 'C1', role: 'worker', enteredAt: '2026-02-30T25:00:00Z' }] }, BOUNDS, NOW))
  t.match(entered.details, [{ index: 0, path: '/people/0/enteredAt' }])
  t.equal(checkSnapshot('S1', { ts: NOW + 300_000, people: [] }, BOUNDS, NOW).ts, NOW + 300_000, 'the skew bound itself is accepted')
})

t.test('personnel rows - an SOS event keeps its event time and the arrival time', async (t) => {
  const e = checkEvent('S1', { type: 'sos', card: 'C0042', ts: '2026-11-21T08:00:00+08:00', area: 'A3' }, BOUNDS, NOW)
  t.same(e, { site: 'S1', type: 'sos', card: 'C0042', ts: NOW - 30_000, receivedAt: NOW, area: 'A3' })
  t.same(eventRow(e), {
    symbols: { site: 'S1', type: 'sos', card: 'C0042', area: 'A3' },
    columns: { received_at: NOW },
    timestamps: ['received_at'],
    ts: NOW - 30_000
  })
  const noArea = checkEvent('S1', { type: 'sos', card: 'C1', ts: NOW }, BOUNDS, NOW)
  t.same(eventRow(noArea).symbols, { site: 'S1', type: 'sos', card: 'C1' })
})
