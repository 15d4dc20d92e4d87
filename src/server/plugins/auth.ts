// Authentication and role checks for every route that declares `config.roles`. Routes without roles
// (/health, /ready, /metrics) are public. 401: no or unknown token; 403: valid token, wrong role.
// Site checks depend on the body or params, so handlers call canAccessSite themselves.
import fp from 'fastify-plugin'
import { timingSafeEqual } from 'node:crypto'
import { Forbidden, Unauthorized } from '../errors/catalogue.js'
import { canAccessSite, type Principal, type Role } from '../auth/tokens.js'

export { canAccessSite }

declare module 'fastify' {
  interface FastifyRequest { principal: Principal | null }
  interface FastifyContextConfig { roles?: readonly Role[] }
}

/** AuthOptions carry the parsed tokens file. */
export interface AuthOptions { tokens: Map<string, Principal> }

function bearer (header: string | undefined): string | null {
  if (header === undefined) return null
  const m = /^Bearer\s+(\S+)$/i.exec(header)
  return m?.[1] ?? null
}

// Constant-time lookup: compare against every token so timing does not reveal a prefix match.
function findPrincipal (tokens: Map<string, Principal>, token: string): Principal | null {
  const given = Buffer.from(token)
  let found: Principal | null = null
  for (const [candidate, principal] of tokens) {
    const c = Buffer.from(candidate)
    if (c.length === given.length && timingSafeEqual(c, given)) found = principal
  }
  return found
}

/** authPlugin sets request.principal and enforces route roles. */
export default fp<AuthOptions>(async (fastify, opts) => {
  fastify.decorateRequest('principal', null)
  fastify.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config.roles
    if (roles === undefined) return
    const token = bearer(request.headers.authorization)
    const principal = token === null ? null : findPrincipal(opts.tokens, token)
    if (principal === null) throw new Unauthorized()
    if (!roles.includes(principal.role)) {
      throw new Forbidden(`role ${principal.role} may not ${request.method} ${request.routeOptions.url ?? ''}`)
    }
    request.principal = principal
  })
}, { name: 'auth' })

/** requireSite throws 403 unless the request's principal may touch `site`. */
export function requireSite (principal: Principal | null, site: string): void {
  if (principal === null || !canAccessSite(principal, site)) {
    throw new Forbidden(`this token may not access site ${site}`)
  }
}
