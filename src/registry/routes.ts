// Registry endpoints (section 2): sites, status events and point definitions. Writes are admin-only;
// reads are open to every role that may see the site.
import type { FastifyInstance } from 'fastify'
import type { PointDefinition, SiteInput, SiteStatusInput } from '../contract/index.js'
import { UnknownSite } from '../errors/catalogue.js'
import { canAccessSite, requireSite } from '../plugins/auth.js'
import { schemaId } from '../plugins/schemas.js'
import { toIso } from '../lib/time.js'
import { allValid, checkCount, checkItems, itemValidator, LIST_MAX_ITEMS } from '../validate/items.js'
import { MAX_DETAILS } from '../validate/details.js'
import { toDefinition } from './store.js'
import type { Site } from './types.js'

const siteParams = {
  type: 'object',
  required: ['siteCode'],
  properties: { siteCode: { $ref: `${schemaId('common.json')}#/definitions/Code` } }
}

const READ = ['operator', 'admin', 'gateway'] as const

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

  fastify.put<{ Params: { siteCode: string }, Body: SiteInput }>('/v1/sites/:siteCode', {
    config: { roles: ['admin'] },
    schema: { params: siteParams, body: { $ref: schemaId('site.json') } }
  }, async (request) => {
    requireSite(request.principal, request.params.siteCode)
    return siteView(await registry.putSite(request.params.siteCode, request.body))
  })

  fastify.get<{ Params: { siteCode: string } }>('/v1/sites/:siteCode', {
    config: { roles: READ }, schema: { params: siteParams }
  }, async (request) => {
    requireSite(request.principal, request.params.siteCode)
    return siteView(known(request.params.siteCode))
  })

  fastify.post<{ Params: { siteCode: string }, Body: SiteStatusInput }>('/v1/sites/:siteCode/status', {
    config: { roles: ['admin'] },
    schema: { params: siteParams, body: { $ref: schemaId('site-status.json') } }
  }, async (request) => {
    requireSite(request.principal, request.params.siteCode)
    return siteView(await registry.addStatus(request.params.siteCode, request.body))
  })

  fastify.put<{ Params: { siteCode: string }, Body: unknown[] }>('/v1/sites/:siteCode/points', {
    config: { roles: ['admin'] },
    // the list is counted, then its items are validated one by one against points.json#/definitions/PointDefinition
    schema: { params: siteParams, body: { type: 'array' } }
  }, async (request) => {
    checkCount(request.body, LIST_MAX_ITEMS, '/')
    const defs = allValid(checkItems<PointDefinition, PointDefinition>(request.body, pointValidator, '', (d) => d), 'points are')
    requireSite(request.principal, request.params.siteCode)
    known(request.params.siteCode)
    const { count, warnings } = await registry.putPoints(request.params.siteCode, defs)
    if (warnings.length > 0) request.log.warn({ site: request.params.siteCode, warnings: warnings.length }, 'points outside the quantity catalogue: their values are not judged by the default rules')
    return {
      siteCode: request.params.siteCode,
      points: count,
      ...(warnings.length > 0 ? { warnings: warnings.slice(0, MAX_DETAILS) } : {}),
      ...(warnings.length > MAX_DETAILS ? { warningsCount: warnings.length } : {})
    }
  })

  fastify.get<{ Params: { siteCode: string } }>('/v1/sites/:siteCode/points', {
    config: { roles: READ }, schema: { params: siteParams }
  }, async (request) => {
    requireSite(request.principal, request.params.siteCode)
    known(request.params.siteCode)
    return registry.view.pointsOf(request.params.siteCode).map(toDefinition)
  })

  function known (code: string): Site {
    const site = registry.view.site(code)
    if (site === undefined) throw new UnknownSite(code)
    return site
  }
}
