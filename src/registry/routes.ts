// Registry endpoints (section 2): sites, status events and point definitions. Writes are admin-only;
// reads are open to every role that may see the site.
import type { FastifyInstance } from 'fastify'
import type { PointDefinition, SiteInput, SiteStatusInput } from '../contract/index.js'
import { canAccessSite, requireSite } from '../server/plugins/auth.js'
import { schemaId } from '../server/plugins/schemas.js'
import { toIso } from '../lib/time.js'
import { itemValidator } from '../2-validate/items.js'
import { knownSite, SITE_PARAMS } from './site-guard.js'
import { listRoute } from '../1-ingest/list.js'
import { MAX_DETAILS } from '../2-validate/details.js'
import { toDefinition } from './store.js'
import type { Site } from './types.js'
import { ADMIN, READ_DATA } from '../server/auth/roles.js'

const READ = READ_DATA

/** siteView is the JSON shape of a site in responses. */
export function siteView (s: Site): Record<string, unknown> {
  return {
    siteCode: s.code,
    name: s.name,
    kind: s.kind,
    ...(s.regionCode === undefined ? {} : { regionCode: s.regionCode }),
    ...(s.enterprise === undefined ? {} : { enterprise: s.enterprise }),
    status: s.status,
    ...(s.approvedHeadcount === undefined ? {} : { approvedHeadcount: s.approvedHeadcount }),
    attributes: s.attributes,
    updatedAt: toIso(s.updatedAt),
    statusTimeline: s.timeline.map((c) => ({ since: toIso(c.since), status: c.status, ...(c.note === undefined ? {} : { note: c.note }) }))
  }
}

/** registryRoutes registers the registry endpoints. */
export default async function registryRoutes (fastify: FastifyInstance): Promise<void> {
  const registry = fastify.registry
  const pointValidator = itemValidator(`${schemaId('points.json')}#/definitions/PointDefinition`)

  fastify.get('/v1/sites', { config: { roles: READ } }, async (request) => {
    const principal = request.principal
    const sites = registry.view.sites().filter((s) => principal !== null && canAccessSite(principal, s.code))
    return { sites: sites.map(siteView) }
  })

  // A site's own record and its status timeline are written alike: admin only, answered with the site as it now is.
  function siteWrite<B> (method: 'PUT' | 'POST', url: string, body: string, write: (code: string, input: B) => Promise<Site>): void {
    fastify.route<{ Params: { siteCode: string }, Body: B }>({
      method,
      url,
      config: { roles: ADMIN },
      schema: { params: SITE_PARAMS, body: { $ref: schemaId(body) } },
      handler: async (request) => {
        requireSite(request.principal, request.params.siteCode)
        return siteView(await write(request.params.siteCode, request.body as B))
      }
    })
  }

  siteWrite<SiteInput>('PUT', '/v1/sites/:siteCode', 'site.json', async (code, input) => await registry.putSite(code, input))

  fastify.get<{ Params: { siteCode: string } }>('/v1/sites/:siteCode', {
    config: { roles: READ }, schema: { params: SITE_PARAMS }
  }, async (request) => {
    return siteView(knownSite(request.principal, registry.view, request.params.siteCode))
  })

  siteWrite<SiteStatusInput>('POST', '/v1/sites/:siteCode/status', 'site-status.json', async (code, input) => await registry.addStatus(code, input))

  // the list is counted, then its items are validated one by one against points.json#/definitions/PointDefinition
  listRoute<PointDefinition>(fastify, '/v1/sites/:siteCode/points', pointValidator, 'points are', async (siteCode, defs, request) => {
    const { count, warnings } = await registry.putPoints(siteCode, defs)
    if (warnings.length > 0) request.log.warn({ site: siteCode, warnings: warnings.length }, 'points outside the quantity catalogue: their values are not judged by the default rules')
    return {
      siteCode,
      points: count,
      ...(warnings.length > 0 ? { warnings: warnings.slice(0, MAX_DETAILS) } : {}),
      ...(warnings.length > MAX_DETAILS ? { warningsCount: warnings.length } : {})
    }
  })

  fastify.get<{ Params: { siteCode: string } }>('/v1/sites/:siteCode/points', {
    config: { roles: READ }, schema: { params: SITE_PARAMS }
  }, async (request) => {
    knownSite(request.principal, registry.view, request.params.siteCode)
    return registry.view.pointsOf(request.params.siteCode).map(toDefinition)
  })
}
