// The flow of a list an admin replaces whole (a site's points, its video channels): counted, every item
// validated (400 naming the items at fault, nothing stored), then the caller's scope and the site (403, 404),
// then the write. Unlike a batch, one bad item refuses the list: a half-defined site is worse than none.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ValidateFunction } from 'ajv'
import { checkList } from '../2-validate/items.js'
import { knownSite, SITE_PARAMS } from '../registry/site-guard.js'
import { ADMIN } from '../server/auth/roles.js'

/** ListWrite stores the valid list of a known site and gives the 200 answer. */
export type ListWrite<I> = (site: string, items: I[], request: FastifyRequest) => Promise<unknown>

/**
 * listRoute registers PUT `url` (under /v1/sites/:siteCode) for admins: the body is a list whose items are checked
 * one by one with `validate` (`what` names them in the 400, e.g. 'points are'), then `write` stores them.
 */
export function listRoute<I> (fastify: FastifyInstance, url: string, validate: ValidateFunction, what: string, write: ListWrite<I>): void {
  fastify.put(url, {
    config: { roles: ADMIN },
    schema: { params: SITE_PARAMS, body: { type: 'array' } }
  }, async (request) => {
    const site = (request.params as { siteCode: string }).siteCode
    const items = checkList<I>(request.body as unknown[], validate, '', what)
    knownSite(request.principal, fastify.registry.view, site)
    return await write(site, items, request)
  })
}
