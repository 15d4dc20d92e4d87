// The flow of a batch whose items stand alone (readings, video heartbeats, AI events), in the order the
// contract answers in: the count against the limit (413, before any item is looked at), the caller's scope and
// the site named in the body (403, 404 at /siteCode), the items one by one, storage, then a 200 that counts
// what was stored and names every rejected item, by validation or by storage, at its path.
import type { FastifyInstance } from 'fastify'
import type { Principal } from '../server/auth/tokens.js'
import type { ItemError } from '../server/errors/catalogue.js'
import type { RegistryView } from '../registry/types.js'
import type { Refusal } from '../3-store/refusal.js'
import { withRefusals, type ItemFields } from '../2-validate/details.js'
import { checkCount, type Checked } from '../2-validate/items.js'
import { BATCH_RESPONSE } from './batch-response.js'
import { knownSite } from '../registry/site-guard.js'
import { WRITE_DATA } from '../server/auth/roles.js'

/** BatchAnswer is the 200 body of a batch (BATCH_RESPONSE is its schema). */
export interface BatchAnswer { accepted: number, rejected: ItemError[], rejectedCount?: number }

/** Batch is what is specific to one batch: its items, where they stand, how they are checked and stored. */
export interface Batch<R> {
  items: readonly unknown[]
  /** the list in the body (e.g. /readings) and which item field each stored column came from */
  at: ItemFields
  /** check validates the counted items of a known site; it may refuse the whole body by throwing */
  check: (items: readonly unknown[]) => Checked<R>
  /** store writes the accepted rows and resolves with those storage refused */
  store: (rows: R[]) => Promise<Refusal[]>
  /** tooLarge sees the count of a batch refused for its size (metrics) */
  tooLarge?: (count: number) => void
}

/** ingestBatch runs one batch of `site` (named in the body) through the whole flow and gives its 200 answer. */
export async function ingestBatch<R> (
  principal: Principal | null, registry: RegistryView, site: string, limit: number, batch: Batch<R>
): Promise<BatchAnswer> {
  try {
    checkCount(batch.items, limit, batch.at.base)
  } catch (err) {
    batch.tooLarge?.(batch.items.length)
    throw err
  }
  knownSite(principal, registry, site, '/siteCode')
  const checked = batch.check(batch.items)
  const refused = await batch.store(checked.rows)
  return answerBatch(checked, refused, batch.at)
}

/** answerBatch is the 200 answer of a batch: the rows stored (each refusal is one row) and every rejected item. */
export function answerBatch (checked: Checked<unknown>, refused: readonly Refusal[], at: ItemFields): BatchAnswer {
  return { accepted: checked.rows.length - refused.length, ...withRefusals(checked, refused, at) }
}

/**
 * batchRoute registers POST `url` for gateways (and admins): `envelope` is the body's schema without its items
 * (they are counted, then validated one by one), `batchOf` what the flow needs of one body (it must not throw:
 * nothing is looked at before the count).
 */
export function batchRoute<B extends { siteCode: string }, R> (
  fastify: FastifyInstance, url: string, envelope: object, batchOf: (body: B) => Batch<R>
): void {
  fastify.post(url, {
    config: { roles: WRITE_DATA },
    schema: { body: envelope, response: { 200: BATCH_RESPONSE } }
  }, async (request) => {
    const body = request.body as B
    return await ingestBatch(request.principal, fastify.registry.view, body.siteCode, fastify.config.ingest.maxBatchItems, batchOf(body))
  })
}
