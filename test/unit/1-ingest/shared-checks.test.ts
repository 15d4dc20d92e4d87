// The checks every write route shares (src/2-validate, src/3-store/refusal.ts): lists taken whole or not at all,
// keys defined twice, a body's own timestamp, and the path a storage refusal is answered at.
import t from 'tap'
import { StorageRefused } from '../../../src/server/errors/catalogue.js'
import { schemaId } from '../../../src/server/plugins/schemas.js'
import { refusedAs } from '../../../src/3-store/refusal.js'
import { refusalDetail, refusalPath } from '../../../src/2-validate/details.js'
import { bodyTime } from '../../../src/2-validate/event-time.js'
import { checkList, itemValidator, LIST_MAX_ITEMS, Rejection, uniqueKeys } from '../../../src/2-validate/items.js'

const code = itemValidator(`${schemaId('common.json')}#/definitions/Code`)
const NOW = Date.parse('2026-11-21T00:00:00.000Z')
const BOUNDS = { maxFutureSkewMs: 300_000, rawRetentionMs: 90 * 86_400_000 }

function errorOf (fn: () => unknown): { statusCode?: number, code?: string, message?: string, details?: unknown, detailsCount?: number } {
  try { fn() } catch (err) { return err as { statusCode?: number } }
  throw new Error('expected an error')
}

t.test('checkList - a valid list is kept as is, or as the judge makes it', async (t) => {
  t.same(checkList(['A', 'B'], code, '', 'codes are'), ['A', 'B'])
  t.same(checkList<string, number>(['AB', 'C'], code, '/people', 'codes are', (c, i) => c.length + i), [2, 2])
})

t.test('checkList - too many items: 413 at the list (/ for the body), before any item is validated', async (t) => {
  const many = Array.from({ length: LIST_MAX_ITEMS + 1 }, () => 42)
  t.match(errorOf(() => checkList(many, code, '', 'codes are')), {
    statusCode: 413, code: 'MW_ERR_BATCH_TOO_LARGE', details: [{ path: '/', message: `must NOT have more than ${LIST_MAX_ITEMS} items` }]
  })
  t.match(errorOf(() => checkList(many, code, '/people', 'people are')), { details: [{ path: '/people' }] })
})

t.test('checkList - one bad item refuses the list, naming every bad one (capped, with the count)', async (t) => {
  const err = errorOf(() => checkList<string>(['A', 'BAD', 7], code, '/people', 'people are', (c) => c === 'BAD' ? new Rejection('/card', 'is bad') : c))
  t.match(err, { statusCode: 400, code: 'MW_ERR_INVALID_BODY', message: '2 people are invalid' })
  t.same(err.details, [{ index: 1, path: '/people/1/card', message: 'is bad' }, { index: 2, path: '/people/2', message: 'must be string' }])
  const bad = errorOf(() => checkList(Array.from({ length: 150 }, () => 1), code, '', 'codes are'))
  t.equal((bad.details as unknown[]).length, 100)
  t.equal(bad.detailsCount, 150)
})

t.test('uniqueKeys - the keys of a list, or 400 naming the first item defined twice', async (t) => {
  t.same([...uniqueKeys([{ pointCode: 'A' }, { pointCode: 'B' }], 'pointCode', 'point')], ['A', 'B'])
  t.match(errorOf(() => uniqueKeys([{ channelCode: 'V1' }, { channelCode: 'V2' }, { channelCode: 'V1' }, { channelCode: 'V2' }], 'channelCode', 'channel')), {
    statusCode: 400,
    message: 'channel V1 is defined twice',
    details: [{ index: 2, path: '/2/channelCode', message: 'channel V1 is defined twice' }]
  })
})

t.test('bodyTime - a body timestamp within the bounds, else 400 at /ts saying what is named', async (t) => {
  t.equal(bodyTime('2026-11-21T08:00:00+08:00', NOW, BOUNDS), NOW)
  t.match(errorOf(() => bodyTime(NOW + 600_000, NOW, BOUNDS, 'heartbeat ts')), {
    statusCode: 400, message: /^heartbeat ts timestamp .* is 600 s in the future/, details: [{ path: '/ts', message: /600 s in the future/ }]
  })
  t.match(errorOf(() => bodyTime('2026-13-01T00:00:00Z', NOW, BOUNDS)), { message: 'ts is not a valid timestamp', details: [{ path: '/ts', message: 'is not a valid timestamp' }] })
})

t.test('refusal paths - an item of a list, or the body itself; an unknown column names the item', async (t) => {
  const people = { base: '/people', fields: { entered_at: '/enteredAt' } }
  const person = { base: '', fields: { entered_at: '/enteredAt' } }
  t.equal(refusalPath(people, 'entered_at', 3), '/people/3/enteredAt')
  t.equal(refusalPath(people, 'other', 3), '/people/3')
  t.equal(refusalPath(person, 'entered_at'), '/enteredAt')
  t.equal(refusalPath(person, undefined), '/')
  t.same(refusalDetail({ row: 0, column: 'entered_at', message: 'bad' }, people, 4), { index: 4, path: '/people/4/enteredAt', message: 'storage refused it: bad' })
  t.same(refusalDetail({ row: 0, message: 'bad' }, person), { path: '/', message: 'storage refused it: bad' })
})

t.test('refusedAs - an atomic write refused: its rows as items of the list, or as the body; other errors pass', async (t) => {
  const at = { base: '/people', fields: { area: '/area' } }
  const refused = (): Error => Object.assign(new StorageRefused('x'), { refusals: [{ row: 2, column: 'area', message: 'too long' }] })
  t.match(refusedAs(refused(), at, true), { statusCode: 422, details: [{ index: 2, path: '/people/2/area', message: 'storage refused it: too long' }] })
  t.same((refusedAs(refused(), { base: '', fields: at.fields }, false) as { details: unknown }).details, [{ path: '/area', message: 'storage refused it: too long' }])
  const other = new Error('down')
  t.equal(refusedAs(other, at, true), other)
})
