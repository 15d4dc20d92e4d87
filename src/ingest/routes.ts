// POST /v1/readings (section 3): envelope by schema, items one by one, 200 only after QuestDB acknowledged
// the accepted readings; then they flow into the rule engine.
// GET …/readings returns what is stored for one point.
import type { FastifyInstance } from 'fastify'
import { BatchTooLarge, InvalidQuery, Overloaded, UnknownSite } from '../errors/catalogue.js'
import { requireSite } from '../plugins/auth.js'
import { withDetails } from '../plugins/errors.js'
import { schemaId } from '../plugins/schemas.js'
import { toEpochMs, toIso } from '../lib/time.js'
import { checkReadings, compileReadingValidator } from './validate.js'
import { createIngestMetrics, reasonOf } from './metrics.js'
import { queryReadings } from './query.js'

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

  fastify.get<{ Params: { siteCode: string, pointCode: string }, Querystring: { from?: string, to?: string, limit: number } }>(
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
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'string' },
            to: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 100000, default: 10000 }
          }
        }
      }
    }, async (request) => {
      const { siteCode, pointCode } = request.params
      requireSite(request.principal, siteCode)
      const from = parseBound(request.query.from, 'from') ?? 0
      const to = parseBound(request.query.to, 'to') ?? 8.64e15
      const rows = await queryReadings(fastify.questdb.reader, siteCode, pointCode, from, to, request.query.limit)
      return { readings: rows.map((r) => ({ ts: toIso(r.ts), value: r.value, status: r.status })) }
    })
}

/** parseBound reads a from/to query bound (epoch ms or RFC 3339), or throws 400 naming the parameter. */
export function parseBound (text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined
  const ms = toEpochMs(/^\d+$/.test(text) ? Number(text) : text)
  if (Number.isNaN(ms)) {
    throw withDetails(new InvalidQuery(`query ${name} is not a timestamp`),
      [{ path: `/querystring/${name}`, message: 'must be epoch milliseconds or an RFC 3339 time with an offset' }])
  }
  return ms
}
