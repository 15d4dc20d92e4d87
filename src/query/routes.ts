// The read side of the readings (section 3): what is stored for one point, raw (GET …/readings) or as
// 5-minute max/min/mean from the readings_5m view (GET …/stats, DQ-8). Time ranges are parsed strictly.
import type { FastifyInstance } from 'fastify'
import { toIso } from '../lib/time.js'
import { knownSite } from '../registry/site-guard.js'
import { requireSite } from '../server/plugins/auth.js'
import { schemaId } from '../server/plugins/schemas.js'
import { queryReadings } from './readings.js'
import { queryStats, STATS_INTERVAL_S } from './stats.js'
import { TIME_RANGE_QUERY, timeRange, type TimeRangeQuery } from './time-range.js'
import { READ_DATA } from '../server/auth/roles.js'
import { SITE_PARAMS } from '../registry/site-guard.js'
import { lastReadings, pointStatuses } from './points-status.js'

const code = { $ref: `${schemaId('common.json')}#/definitions/Code` }
const params = { type: 'object', required: ['siteCode', 'pointCode'], properties: { siteCode: code, pointCode: code } }
const roles = READ_DATA

interface PointQuery { Params: { siteCode: string, pointCode: string }, Querystring: TimeRangeQuery }

/** queryRoutes registers the readings and statistics endpoints of a point. */
export default async function queryRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get<PointQuery>('/v1/sites/:siteCode/points/:pointCode/readings', {
    config: { roles },
    schema: { params, querystring: TIME_RANGE_QUERY }
  }, async (request) => {
    const { siteCode, pointCode } = request.params
    requireSite(request.principal, siteCode)
    const { from, to, limit } = timeRange(request.query)
    const rows = await queryReadings(fastify.questdb.reader, siteCode, pointCode, from, to, limit)
    return { readings: rows.map((r) => ({ ts: toIso(r.ts), value: r.value, status: r.status })) }
  })

  // the link of a site and of each of its points, as the engine judges it (points-status.ts)
  fastify.get<{ Params: { siteCode: string } }>('/v1/sites/:siteCode/link', {
    config: { roles },
    schema: { params: SITE_PARAMS }
  }, async (request) => {
    const { siteCode } = request.params
    knownSite(request.principal, fastify.registry.view, siteCode)
    const now = fastify.clock.now()
    const [last, open] = await Promise.all([
      lastReadings(fastify.questdb.reader, siteCode, now),
      fastify.alarms.list({ site: siteCode, limit: Number.MAX_SAFE_INTEGER })
    ])
    const s = pointStatuses(fastify.registry.view.pointsOf(siteCode).map((p) => p.code), last, open)
    return {
      siteCode,
      at: toIso(now),
      link: s.link === undefined ? { state: 'online' } : { state: 'offline', alarmId: s.link.alarmId, since: toIso(s.link.startedAt) },
      points: s.points.map((p) => ({ ...p, lastTs: p.lastTs === null ? null : toIso(p.lastTs) }))
    }
  })

  fastify.get<PointQuery>('/v1/sites/:siteCode/points/:pointCode/stats', {
    config: { roles },
    schema: { params, querystring: TIME_RANGE_QUERY, response: { 200: { $ref: schemaId('point-stats.json') } } }
  }, async (request) => {
    const { siteCode, pointCode } = request.params
    knownSite(request.principal, fastify.registry.view, siteCode)
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
