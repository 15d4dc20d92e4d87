// Authentication and role checks for every route that declares `config.roles`. Routes without roles
// (/health, /ready, /metrics, the login itself) are public. 401: no or unknown token or session; 403: known
// caller, wrong role. Site checks depend on the body or params, so handlers call canAccessSite themselves.
// A caller is either a token of the tokens file (gateways, scripts) or a logged-in person (src/users), by the
// bearer form of their session token or by the session cookie.
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { timingSafeEqual } from 'node:crypto'
import { Forbidden, Unauthorized } from '../errors/catalogue.js'
import { canAccessSite, type Principal, type Role } from '../auth/tokens.js'
import { personPrincipal, sessionToken } from '../../users/principal.js'
import type { UserService } from '../../users/service.js'

export { canAccessSite }

declare module 'fastify' {
  interface FastifyInstance {
    /** authenticate resolves a request's credentials again (a long request, such as the live feed, re-checks) */
    authenticate: (request: FastifyRequest) => Promise<Principal | null>
  }
  interface FastifyRequest { principal: Principal | null }
  interface FastifyContextConfig { roles?: readonly Role[] }
}

/** AuthOptions carry the parsed tokens file and, where people log in, the sessions to resolve (src/users). */
export interface AuthOptions {
  tokens: Map<string, Principal>
  people?: Pick<UserService, 'resolve'>
}

// Constant-time lookup: compare against every token so timing does not reveal a prefix match.
function findToken (tokens: Map<string, Principal>, token: string): Principal | null {
  const given = Buffer.from(token)
  let found: Principal | null = null
  for (const [candidate, principal] of tokens) {
    const c = Buffer.from(candidate)
    if (c.length === given.length && timingSafeEqual(c, given)) found = principal
  }
  return found
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// The cookie is SameSite=Strict, so another site's page cannot send it; a browser that sends an Origin of
// another host anyway is refused too, for anything that changes state.
function crossSite (request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return false
  const origin = request.headers.origin
  if (origin === undefined || origin === 'null') return origin === 'null'
  try {
    return new URL(origin).host !== request.headers.host
  } catch {
    return true
  }
}

/** authPlugin sets request.principal and enforces route roles. */
export default fp<AuthOptions>(async (fastify, opts) => {
  fastify.decorateRequest('principal', null)
  const resolve = async (request: FastifyRequest): Promise<Principal | null> => {
    const carried = sessionToken(request)
    if (carried === null) return null
    if (carried.via === 'bearer') {
      const token = findToken(opts.tokens, carried.token)
      if (token !== null) return token
    }
    const session = await opts.people?.resolve(carried.token)
    if (session === undefined) return null
    if (carried.via === 'cookie' && crossSite(request)) throw new Forbidden('a session cookie is accepted from this server\'s own pages only')
    return personPrincipal(session.user)
  }
  fastify.decorate('authenticate', resolve)
  fastify.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config.roles
    if (roles === undefined) return
    const principal = await resolve(request)
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

/** actorOf names who acts in a request: the username of a person, else the token's name. */
export function actorOf (principal: Principal | null): { actor: string, kind: 'user' | 'token' | 'none', role: Role | null } {
  if (principal === null) return { actor: '', kind: 'none', role: null }
  return { actor: principal.username ?? principal.name, kind: principal.username === undefined ? 'token' : 'user', role: principal.role }
}
