// POST /v1/readings (section 3): envelope by schema, count, then items one by one, 200 only after QuestDB
// acknowledged the accepted readings; then they flow into the rule engine.
import type { FastifyInstance } from 'fastify'
import { Overloaded } from '../server/errors/catalogue.js'
import { schemaId } from '../server/plugins/schemas.js'
import { storedOnly, type Refusal } from '../3-store/refusal.js'
import { batchRoute } from './batch.js'
import type { ReadingRow } from '../contract/rows.js'
import { checkReadings, compileReadingValidator } from './validate.js'
import { createIngestMetrics, reasonOf } from './metrics.js'

const code = { $ref: `${schemaId('common.json')}#/definitions/Code` }

// The items are not in the envelope's schema: they are counted first, then validated one by one (src/2-validate).
const envelope = {
  type: 'object',
  required: ['siteCode', 'readings'],
  properties: { siteCode: code, readings: { type: 'array' } }
}

// The readings of the body, and where a column storage refused is in a reading.
const READINGS = { base: '/readings', fields: { value: '/value', status: '/status', point: '/point', ts: '/ts' } }

/** readingsRoutes registers the readings endpoints. */
export default async function readingsRoutes (fastify: FastifyInstance): Promise<void> {
  const validate = compileReadingValidator()
  const metrics = createIngestMetrics(fastify.metrics.registry)
  const { ingest } = fastify.config

  // Storage, then the engine: only what QuestDB acknowledged is judged.
  async function store (rows: ReadingRow[]): Promise<Refusal[]> {
    let refused
    try {
      refused = await fastify.questdb.writer.writeReadings(rows)
    } catch (err) {
      metrics.rejected.inc({ reason: err instanceof Overloaded ? 'overloaded' : 'storage_unavailable' }, rows.length)
      throw err
    }
    metrics.rejected.inc({ reason: 'storage_refused' }, refused.length)
    const stored = storedOnly(rows, refused)
    metrics.accepted.inc(stored.length)
    fastify.engine.ingest(stored)
    return refused
  }

  batchRoute<{ siteCode: string, readings: unknown[] }, ReadingRow>(fastify, '/v1/readings', envelope, (body) => ({
    items: body.readings,
    at: READINGS,
    tooLarge: (count) => metrics.rejected.inc({ reason: 'batch_too_large' }, count),
    check: (items) => {
      metrics.batchSize.observe(items.length)
      return checkReadings(body.siteCode, items, validate, fastify.registry.view, ingest, fastify.clock.now(),
        (e) => metrics.rejected.inc({ reason: reasonOf(e.path) }))
    },
    store
  }))
}
