// The shared ingest flow (src/1-ingest/batch.ts, site.ts): the order its refusals come in (413 before any
// scope or registry check, 403 before 404, 404 named at /siteCode), that a batch is checked only once
// admitted, and the 200 answer counting what storage kept and naming what it refused at the item's field.
import t from 'tap'
import type { Principal } from '../../../src/server/auth/tokens.js'
import { answerBatch, ingestBatch, type Batch } from '../../../src/1-ingest/batch.js'
import { knownSite } from '../../../src/registry/site-guard.js'
import { MemoryRegistry } from '../../../src/registry/memory.js'
import type { Refusal } from '../../../src/3-store/refusal.js'
import { Rejection, checkItems, itemValidator } from '../../../src/2-validate/items.js'
import { schemaId } from '../../../src/server/plugins/schemas.js'
import { site } from '../../helpers/registry.js'

const registry = new MemoryRegistry([site('S1'), site('S2')])
const all: Principal = { role: 'gateway', sites: '*', name: 'all' }
const onlyS2: Principal = { role: 'gateway', sites: new Set(['S2']), name: 's2' }
const code = itemValidator(`${schemaId('common.json')}#/definitions/Code`)

function errorOf (p: Promise<unknown>): Promise<{ statusCode?: number, code?: string, details?: unknown }> {
  return p.then(() => { throw new Error('expected a refusal') }, (err) => err)
}

// A batch of codes: '' fails its schema, 'BAD' its judge, the rest are kept; storage refuses `refuse`.
function batch (items: unknown[], refuse: Refusal[] = [], seen: string[] = []): Batch<string> {
  return {
    items,
    at: { base: '/codes', fields: { code: '/code' } },
    check: (list) => {
      seen.push('check')
      return checkItems<string, string>(list, code, '/codes', (c) => c === 'BAD' ? new Rejection('', 'is bad') : c)
    },
    store: async (rows) => { seen.push(`store ${rows.join(',')}`); return refuse },
    tooLarge: (count) => seen.push(`too large ${count}`)
  }
}

t.test('batch - the count is checked first: 413 naming the list, even for a site the caller may not touch', async (t) => {
  const seen: string[] = []
  const err = await errorOf(ingestBatch(onlyS2, registry, 'S9', 2, batch(['A', 'B', 'C'], [], seen)))
  t.match(err, { statusCode: 413, code: 'MW_ERR_BATCH_TOO_LARGE', details: [{ path: '/codes', message: 'must NOT have more than 2 items' }] })
  t.same(seen, ['too large 3'], 'the items were not looked at')
})

t.test('batch - scope before registry: 403 for a site out of scope, 404 at /siteCode for an unknown one', async (t) => {
  const seen: string[] = []
  t.match(await errorOf(ingestBatch(onlyS2, registry, 'S1', 10, batch(['A'], [], seen))), { statusCode: 403, code: 'MW_ERR_FORBIDDEN' })
  t.match(await errorOf(ingestBatch(onlyS2, registry, 'S9', 10, batch(['A'], [], seen))), { statusCode: 403 })
  t.match(await errorOf(ingestBatch(all, registry, 'S9', 10, batch(['A'], [], seen))), {
    statusCode: 404, code: 'MW_ERR_UNKNOWN_SITE', details: [{ path: '/siteCode', message: 'site "S9" is not registered' }]
  })
  t.same(seen, [], 'nothing checked or stored')
})

t.test('batch - accepted items are stored; rejected and refused ones are named by index, in order', async (t) => {
  const seen: string[] = []
  const answer = await ingestBatch(all, registry, 'S1', 10, batch(['A', '', 'BAD', 'D', 'E'], [{ row: 1, column: 'code', message: 'no' }], seen))
  t.same(seen, ['check', 'store A,D,E'])
  t.same(answer, {
    accepted: 2,
    rejected: [
      { index: 1, path: '/codes/1', message: 'must NOT have fewer than 1 characters' },
      { index: 2, path: '/codes/2', message: 'is bad' },
      { index: 3, path: '/codes/3/code', message: 'storage refused it: no' }
    ]
  })
})

t.test('batch - a check that refuses the whole body stores nothing', async (t) => {
  const seen: string[] = []
  const b = batch(['A'], [], seen)
  b.check = () => { throw new Error('bad heartbeat time') }
  await t.rejects(ingestBatch(all, registry, 'S1', 10, b), /bad heartbeat time/)
  t.same(seen, [])
})

t.test('batch - answerBatch: an unknown column names the item itself; the count goes beside a capped list', async (t) => {
  const rows = Array.from({ length: 150 }, (_, i) => i)
  const checked = { rows, indexes: rows, rejected: [], rejectedCount: 0 }
  const refused = rows.map((row) => ({ row, column: 'other', message: 'x' }))
  const answer = answerBatch(checked, refused, { base: '/things', fields: {} })
  t.equal(answer.accepted, 0)
  t.equal(answer.rejected.length, 100)
  t.equal(answer.rejectedCount, 150)
  t.same(answer.rejected[7], { index: 7, path: '/things/7', message: 'storage refused it: x' })
  t.same(answerBatch({ rows: [1], indexes: [0], rejected: [], rejectedCount: 0 }, [], { base: '/things', fields: {} }), { accepted: 1, rejected: [] })
})

t.test('site - knownSite gives the site; 404 carries a path only when one is given', async (t) => {
  const errorAt = (fn: () => unknown): { statusCode?: number, code?: string, details?: unknown } => {
    try { fn() } catch (err) { return err as { statusCode?: number } }
    throw new Error('expected an error')
  }
  t.equal(knownSite(all, registry, 'S1').code, 'S1')
  t.match(errorAt(() => knownSite(null, registry, 'S1')), { statusCode: 403 })
  const plain = errorAt(() => knownSite(all, registry, 'S9'))
  t.match(plain, { statusCode: 404, code: 'MW_ERR_UNKNOWN_SITE' })
  t.equal(plain.details, undefined, 'no details when the site came from the URL')
  t.match(errorAt(() => knownSite(all, registry, 'S9', '/siteCode')), { details: [{ path: '/siteCode', message: 'site "S9" is not registered' }] })
})
