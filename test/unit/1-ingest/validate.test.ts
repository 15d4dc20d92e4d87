// Per-item validation of a readings batch (access standard section 3): every rejection path names the item
// by index and JSON path with an actionable message; accepted items become rows with status 0 by default
// and the arrival time of the batch.
import t from 'tap'
import { checkReadings, compileReadingValidator, type TimeBounds } from '../../../src/1-ingest/validate.js'
import { MemoryRegistry } from '../../../src/registry/memory.js'
import { point, site } from '../../helpers/registry.js'

const NOW = Date.parse('2026-11-21T00:00:00.000Z')
const BOUNDS: TimeBounds = { maxFutureSkewMs: 300_000, rawRetentionMs: 90 * 86_400_000 }
const validate = compileReadingValidator()
const registry = new MemoryRegistry(
  [site('S1'), site('S2')],
  [point('S1', 'CO-101', 'co'), point('S1', 'CH4-1', 'ch4'), point('S2', 'O2-1', 'o2')]
)

const check = (items: unknown[], bounds = BOUNDS, siteCode = 'S1') => checkReadings(siteCode, items, validate, registry, bounds, NOW)

// The one rejection of a single-item batch (nothing stored).
function rejectionOf (item: unknown): { index?: number, path: string, message: string } {
  const { rows, rejected } = check([item])
  if (rows.length !== 0 || rejected.length !== 1) throw new Error(`expected exactly one rejection, got ${JSON.stringify({ rows, rejected })}`)
  return rejected[0] as { index?: number, path: string, message: string }
}

t.test('validate - an accepted reading becomes a row: status 0 by default, receivedAt = now', async (t) => {
  const { rows, rejected } = check([
    { point: 'CO-101', ts: NOW - 20_000, value: 12.5 },
    { point: 'CH4-1', ts: '2026-11-21T07:59:50.000+08:00', value: 0.4, status: 5 }
  ])
  t.same(rejected, [])
  t.same(rows, [
    { site: 'S1', point: 'CO-101', ts: NOW - 20_000, value: 12.5, status: 0, receivedAt: NOW },
    { site: 'S1', point: 'CH4-1', ts: NOW - 10_000, value: 0.4, status: 5, receivedAt: NOW }
  ], 'RFC 3339 with an offset is converted to epoch ms; an explicit status is kept')
  t.same(check([]), { rows: [], indexes: [], rejected: [], rejectedCount: 0 }, 'an empty batch is fine')
})

t.test('validate - schema rejections name the item, the field and what is wrong', async (t) => {
  t.same(rejectionOf(null), { index: 0, path: '/readings/0', message: 'must be object' })
  t.same(rejectionOf([1, 2]), { index: 0, path: '/readings/0', message: 'must be object' })
  t.same(rejectionOf({ ts: NOW, value: 1 }), { index: 0, path: '/readings/0/point', message: "must have required property 'point'" })
  t.same(rejectionOf({ point: 'CO-101', value: 1 }), { index: 0, path: '/readings/0/ts', message: "must have required property 'ts'" })
  t.same(rejectionOf({ point: 'CO-101', ts: NOW }), { index: 0, path: '/readings/0/value', message: "must have required property 'value'" })
  t.same(rejectionOf({ point: 'CO-101', ts: NOW, value: 1, unit: 'ppm' }),
    { index: 0, path: '/readings/0/unit', message: 'must NOT have additional properties' })
  t.same(rejectionOf({ point: 'CO-101', ts: NOW, value: '12.5' }), { index: 0, path: '/readings/0/value', message: 'must be number' })
  t.same(rejectionOf({ point: 'CO-101', ts: NOW, value: null }), { index: 0, path: '/readings/0/value', message: 'must be number' })
  t.same(rejectionOf({ point: 'CO 101', ts: NOW, value: 1 }),
    { index: 0, path: '/readings/0/point', message: 'must match pattern "^[A-Za-z0-9_.-]+$"' })
  t.same(rejectionOf({ point: 'P'.repeat(65), ts: NOW, value: 1 }),
    { index: 0, path: '/readings/0/point', message: 'must NOT have more than 64 characters' })
  t.same(rejectionOf({ point: 'CO-101', ts: NOW, value: 1, status: 1.5 }), { index: 0, path: '/readings/0/status', message: 'must be integer' })
  t.same(rejectionOf({ point: 'CO-101', ts: NOW, value: 1, status: 256 }), { index: 0, path: '/readings/0/status', message: 'must be <= 255' })
  t.same(rejectionOf({ point: 'CO-101', ts: NOW, value: 1, status: -1 }), { index: 0, path: '/readings/0/status', message: 'must be >= 0' })
})

t.test('validate - a timestamp must be epoch ms or RFC 3339 with an offset', async (t) => {
  for (const ts of ['yesterday', '2026-11-21 08:00:00', '2026-11-21T08:00:00', '', NOW + 0.5, -1, true, null]) {
    t.same(rejectionOf({ point: 'CO-101', ts, value: 1 }), {
      index: 0,
      path: '/readings/0/ts',
      message: 'must be epoch milliseconds (integer) or an RFC 3339 time with an offset'
    }, `${JSON.stringify(ts)} is rejected at /ts with what the contract accepts`)
  }
  t.same(rejectionOf({ point: 'CO-101', ts: '2016-12-31T23:59:60Z', value: 1 }),
    { index: 0, path: '/readings/0/ts', message: 'is not a valid timestamp' }, 'a leap second passes the schema but is not a time JS can hold')
})

t.test('validate - a reading for an undefined point is rejected with its index', async (t) => {
  t.same(rejectionOf({ point: 'CO-999', ts: NOW, value: 1 }),
    { index: 0, path: '/readings/0/point', message: 'point "CO-999" is not defined for site "S1"' })
  t.same(rejectionOf({ point: 'O2-1', ts: NOW, value: 20.9 }),
    { index: 0, path: '/readings/0/point', message: 'point "O2-1" is not defined for site "S1"' }, 'a point of another site is unknown here')
  const other = check([{ point: 'O2-1', ts: NOW, value: 20.9 }], BOUNDS, 'S2')
  t.equal(other.rows.length, 1, 'but known at its own site')
})

t.test('validate - time bounds: future skew and raw retention, edges included', async (t) => {
  const future = rejectionOf({ point: 'CO-101', ts: NOW + 5 * 3_600_000, value: 1 })
  t.same(future, {
    index: 0,
    path: '/readings/0/ts',
    message: 'timestamp 2026-11-21T05:00:00.000Z is 18000 s in the future (clock skew allowed: 300 s)'
  })
  const old = rejectionOf({ point: 'CO-101', ts: NOW - 100 * 86_400_000, value: 1 })
  t.same(old, {
    index: 0,
    path: '/readings/0/ts',
    message: 'timestamp 2026-08-13T00:00:00.000Z is older than the raw-data retention of 90 days'
  })
  const edges = check([
    { point: 'CO-101', ts: NOW + BOUNDS.maxFutureSkewMs, value: 1 },
    { point: 'CO-101', ts: NOW - BOUNDS.rawRetentionMs, value: 2 },
    { point: 'CO-101', ts: NOW + BOUNDS.maxFutureSkewMs + 1, value: 3 },
    { point: 'CO-101', ts: NOW - BOUNDS.rawRetentionMs - 1, value: 4 }
  ])
  t.same(edges.rows.map((r) => r.value), [1, 2], 'exactly at the bounds is accepted')
  t.same(edges.rejected.map((r) => [r.index, r.path]), [[2, '/readings/2/ts'], [3, '/readings/3/ts']], 'one ms past them is not')
  const tight = check([{ point: 'CO-101', ts: NOW + 1, value: 1 }], { maxFutureSkewMs: 0, rawRetentionMs: 86_400_000 })
  t.match(tight.rejected, [{ index: 0, path: '/readings/0/ts', message: /in the future \(clock skew allowed: 0 s\)$/ }], 'no skew allowed')
})

t.test('validate - a mixed batch keeps the valid items in order and names each bad one by index', async (t) => {
  const { rows, rejected } = check([
    { point: 'CO-101', ts: NOW - 3000, value: 1 },
    { point: 'CO-101', ts: NOW - 2000, value: 'x' },
    { point: 'NOPE', ts: NOW - 2000, value: 2 },
    { point: 'CH4-1', ts: NOW - 1000, value: 0.3, status: 4 },
    { point: 'CO-101', ts: NOW + 3_600_000, value: 3 },
    'not an object'
  ])
  t.same(rows.map((r) => [r.point, r.value, r.status]), [['CO-101', 1, 0], ['CH4-1', 0.3, 4]])
  t.same(rejected.map((r) => [r.index, r.path]), [
    [1, '/readings/1/value'],
    [2, '/readings/2/point'],
    [4, '/readings/4/ts'],
    [5, '/readings/5']
  ])
})
