// POST /v1/readings (section 3): envelope by schema, items one by one, 200 only after QuestDB acknowledged
// the accepted readings; then they flow into the rule engine.
// GET …/readings returns what is stored for one point.
import type { FastifyInstance } from 'fastify'
import { BatchTooLarge, Overloaded, UnknownSite } from '../errors/catalogue.js'
import { requireSite } from '../plugins/auth.js'
import { withDetails } from '../plugins/errors.js'
import { schemaId } from '../plugins/schemas.js'
import { toIso } from '../lib/time.js'
import { checkReadings, compileReadingValidator } from './validate.js'
import { createIngestMetrics, reasonOf } from './metrics.js'
import { queryReadings } from './query.js'
import { TIME_RANGE_QUERY, timeRange, type TimeRangeQuery } from './time-range.js'

const envelope = {
  type: 'object',
  required: ['siteCode', 'readings'],
  properties: {
    siteCode: { $ref: `${schemaId('common.json')}#/definitions/Code` },
    readings: { type: 'array' }
  }
}

const itemErrors = { type: 'array', items: { $ref: `${schemaId('error.json')}#/definitions/ItemError` } }

/** readingsRoutes registers the readings endpoints. */
export default async function readingsRoutes (fastify: FastifyInstance): Promise<void> {
  const validate = compileReadingValidator()
  const metrics = createIngestMetrics(fastify.metrics.registry)
  const { ingest } = fastify.config

  fastify.post<{ Body: { siteCode: string, readings: unknown[] } }>('/v1/readings', {
    config: { roles: ['gateway', 'admin'] },
    schema: {
      body: envelope,
      response: { 200: { type: 'object', properties: { accepted: { type: 'integer' }, rejected: itemErrors } } }
    }
  }, async (request) => {
    const { siteCode, readings } = request.body
    if (readings.length > ingest.maxBatchItems) {
      metrics.rejected.inc({ reason: 'batch_too_large' }, readings.length)
      throw new BatchTooLarge(readings.length, ingest.maxBatchItems)
    }
    requireSite(request.principal, siteCode)
    if (fastify.registry.view.site(siteCode) === undefined) {
      throw withDetails(new UnknownSite(siteCode), [{ path: '/siteCode', message: `site "${siteCode}" is not registered` }])
    }
    metrics.batchSize.observe(readings.length)
    const { rows, rejected } = checkReadings(siteCode, readings, validate, fastify.registry.view, ingest, fastify.clock.now())
    for (const r of rejected) metrics.rejected.inc({ reason: reasonOf(r.path) })
    try {
      await fastify.questdb.writer.writeReadings(rows)
    } catch (err) {
      metrics.rejected.inc({ reason: err instanceof Overloaded ? 'overloaded' : 'storage_unavailable' }, rows.length)
      throw err
    }
    metrics.accepted.inc(rows.length)
    fastify.engine.ingest(rows)
    return { accepted: rows.length, rejected }
  })

  fastify.get<{ Params: { siteCode: string, pointCode: string }, Querystring: TimeRangeQuery }>(
    '/v1/sites/:siteCode/points/:pointCode/readings', {
      config: { roles: ['operator', 'admin', 'gateway'] },
      schema: {
        params: {
          type: 'object',
          properties: {
            siteCode: { $ref: `${schemaId('common.json')}#/definitions/Code` },
            pointCode: { $ref: `${schemaId('common.json')}#/definitions/Code` }
          }
        },
        querystring: TIME_RANGE_QUERY
      }
    }, async (request) => {
      const { siteCode, pointCode } = request.params
      requireSite(request.principal, siteCode)
      const { from, to, limit } = timeRange(request.query)
      const rows = await queryReadings(fastify.questdb.reader, siteCode, pointCode, from, to, limit)
      return { readings: rows.map((r) => ({ ts: toIso(r.ts), value: r.value, status: r.status })) }
    })
}
