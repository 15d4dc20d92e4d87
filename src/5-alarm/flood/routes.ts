// GET /v1/floods: the sites flooding the duty room now, or one site's rate (?site=), for the board's flood
// indicator and grouping. Only sites the caller may see.
import type { FastifyInstance } from 'fastify'
import { WATCH } from '../../server/auth/roles.js'
import { canAccessSite } from '../../server/plugins/auth.js'
import type { FloodState } from './meter.js'

/** floodRoutes registers GET /v1/floods. */
export default async function floodRoutes (fastify: FastifyInstance): Promise<void> {
  fastify.get<{ Querystring: { site?: string } }>('/v1/floods', {
    config: { roles: WATCH },
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { site: { type: 'string', minLength: 1, maxLength: 64 } } } }
  }, async (request) => {
    const p = request.principal
    const { site } = request.query
    const { threshold, windowMs } = fastify.floods
    const list: FloodState[] = site === undefined ? fastify.floods.sites() : [fastify.floods.state(site)]
    return {
      threshold,
      windowMinutes: Math.round(windowMs / 60_000),
      sites: list.filter((s) => p !== null && canAccessSite(p, s.siteCode)).sort((a, b) => b.count - a.count || a.siteCode.localeCompare(b.siteCode))
    }
  })
}
