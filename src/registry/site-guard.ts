// The site guard every site-scoped route starts with: the caller's token must cover the site (403), then the
// registry must know it (404). Where the site code came from the body (or a route names it as a field), the
// 404 says so at `path`, so a gateway sees which field to fix.
import type { Principal } from '../server/auth/tokens.js'
import { UnknownSite } from '../server/errors/catalogue.js'
import { requireSite } from '../server/plugins/auth.js'
import { withDetails } from '../server/plugins/errors.js'
import { schemaId } from '../server/plugins/schemas.js'
import type { RegistryView, Site } from './types.js'

/** knownSite is the registered site `code` the caller may touch; else 403 (scope) or 404 (unknown, named at `path` when given). */
export function knownSite (principal: Principal | null, registry: RegistryView, code: string, path?: string): Site {
  requireSite(principal, code)
  const site = registry.site(code)
  if (site !== undefined) return site
  const err = new UnknownSite(code)
  throw path === undefined ? err : withDetails(err, [{ path, message: `site "${code}" is not registered` }])
}

/** SITE_PARAMS is the params schema of a route under /v1/sites/:siteCode. */
export const SITE_PARAMS = {
  type: 'object',
  required: ['siteCode'],
  properties: { siteCode: { $ref: `${schemaId('common.json')}#/definitions/Code` } }
} as const
