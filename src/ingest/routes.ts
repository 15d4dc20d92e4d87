// POST /v1/readings (section 3): envelope by schema, count, then items one by one, 200 only after QuestDB
// acknowledged the accepted readings; then they flow into the rule engine.
// GET …/readings returns what is stored for one point.
import type { FastifyInstance } from 'fastify'
import { Overloaded, UnknownSite } from '../errors/catalogue.js'
import { requireSite } from '../plugins/auth.js'
import { withDetails } from '../plugins/errors.js'
import { schemaId } from '../plugins/schemas.js'
import { toIso } from '../lib/time.js'
import { checkCount } from '../validate/items.js'
import { withRefusals } from '../validate/details.js'
import { storedOnly } from '../store/refusal.js'
import { BATCH_RESPONSE } from './batch-response.js'
import { checkReadings, compileReadingValidator } from './validate.js'
import { createIngestMetrics, reasonOf } from './metrics.js'
import { queryReadings } from './query.js'
import { TIME_RANGE_QUERY, timeRange, type TimeRangeQuery } from './time-range.js'

const code = { $ref: `${schemaId('common.json')}#/definitions/Code` }

// The items are not in the envelope's schema: they are counted first, then validated one by one (src/validate).
const envelope = {
  type: 'object',
  required: ['siteCode', 'readings'],
  properties: { siteCode: code, readings: { type: 'array' } }
}

// Where a column storage refused is in a reading.
const FIELDS: Record<string, string> = { value: '/value', status: '/status', point: '/point', ts: '/ts' }

/** readingsRoutes registers the readings endpoints. */
export default async function readingsRoutes (fastify: FastifyInstance): Promise<void> {
  const validate = compileReadingValidator()
  const metrics = createIngestMetrics(fastify.metrics.registry)
  const { ingest } = fastify.config

  fastify.post<{ Body: { siteCode: string, readings: unknown[] } }>('/v1/readings', {
    config: { roles: ['gateway', 'admin'] },
    schema: { body: envelope, response: { 200: BATCH_RESPONSE } }
  }, async (request) => {
    const { siteCode, readings } = request.body
    try {
      checkCount(readings, ingest.maxBatchItems, '/readings')
    } catch (err) {
      metrics.rejected.inc({ reason: 'batch_too_large' }, readings.length)
      throw err
    }
    requireSite(request.principal, siteCode)
    if (fastify.registry.view.site(siteCode) === undefined) {
      throw withDetails(new UnknownSite(siteCode), [{ path: '/siteCode', message: `site "${siteCode}" is not registered` }])
    }
    metrics.batchSize.observe(readings.length)
    const checked = checkReadings(siteCode, readings, validate, fastify.registry.view, ingest, fastify.clock.now(),
      (e) => metrics.rejected.inc({ reason: reasonOf(e.path) }))
    let refused
    try {
      refused = await fastify.questdb.writer.writeReadings(checked.rows)
    } catch (err) {
      metrics.rejected.inc({ reason: err instanceof Overloaded ? 'overloaded' : 'storage_unavailable' }, checked.rows.length)
      throw err
    }
    metrics.rejected.inc({ reason: 'storage_refused' }, refused.length)
    const stored = storedOnly(checked.rows, refused)
    metrics.accepted.inc(stored.length)
    fastify.engine.ingest(stored)
    return { accepted: stored.length, ...withRefusals(checked, refused, '/readings', FIELDS) }
  })

  fastify.get<{ Params: { siteCode: string, pointCode: string }, Querystring: TimeRangeQuery }>(
    '/v1/sites/:siteCode/points/:pointCode/readings', {
      config: { roles: ['operator', 'admin', 'gateway'] },
      schema: {
        params: { type: 'object', properties: { siteCode: code, pointCode: code } },
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
