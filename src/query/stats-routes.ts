// GET …/points/{pointCode}/stats (DQ-8): a point's 5-minute max/min/mean from the readings_5m view.
import type { FastifyInstance } from 'fastify'
import { UnknownSite } from '../server/errors/catalogue.js'
import { toIso } from '../lib/time.js'
import { requireSite } from '../server/plugins/auth.js'
import { schemaId } from '../server/plugins/schemas.js'
import { queryStats, STATS_INTERVAL_S } from './stats.js'
import { TIME_RANGE_QUERY, timeRange, type TimeRangeQuery } from './time-range.js'

const params = {
  type: 'object',
  required: ['siteCode', 'pointCode'],
  properties: {
    siteCode: { $ref: `${schemaId('common.json')}#/definitions/Code` },
    pointCode: { $ref: `${schemaId('common.json')}#/definitions/Code` }
  }
}

/** statsRoutes registers the 5-minute statistics endpoint. */
export default async function statsRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get<{ Params: { siteCode: string, pointCode: string }, Querystring: TimeRangeQuery }>(
    '/v1/sites/:siteCode/points/:pointCode/stats', {
      config: { roles: ['operator', 'admin', 'gateway'] },
      schema: { params, querystring: TIME_RANGE_QUERY, response: { 200: { $ref: schemaId('point-stats.json') } } }
    }, async (request) => {
      const { siteCode, pointCode } = request.params
      requireSite(request.principal, siteCode)
      if (fastify.registry.view.site(siteCode) === undefined) throw new UnknownSite(siteCode)
      const { from, to, limit } = timeRange(request.query)
      const rows = await queryStats(fastify.questdb.reader, siteCode, pointCode, from, to, limit)
      return {
        siteCode,
        pointCode,
        intervalS: STATS_INTERVAL_S,
        stats: rows.map((r) => ({ ts: toIso(r.ts), min: r.min, max: r.max, mean: r.mean, count: r.count }))
      }
    })
}
