// How a person's session becomes the request's principal, and where a request carries its session token.
import type { FastifyRequest } from 'fastify'
import type { Principal } from '../server/auth/tokens.js'
import type { UserRecord } from './types.js'

/** SESSION_COOKIE is the name of the HttpOnly cookie the console logs in with. */
export const SESSION_COOKIE = 'minewatch_session'

/** personPrincipal is the principal of a logged-in user, as stored now (a role change applies at once). */
export function personPrincipal (u: UserRecord): Principal {
  return {
    role: u.role,
    sites: u.sites.includes('*') ? '*' : new Set(u.sites),
    name: u.username,
    username: u.username,
    displayName: u.displayName
  }
}

/** bearerToken reads `Authorization: Bearer <token>`, or null. */
export function bearerToken (header: string | undefined): string | null {
  if (header === undefined) return null
  const m = /^Bearer\s+(\S+)$/i.exec(header)
  return m?.[1] ?? null
}

/** sessionToken is the session token a request carries: the bearer form first, else the cookie. */
export function sessionToken (request: FastifyRequest): { token: string, via: 'bearer' | 'cookie' } | null {
  const bearer = bearerToken(request.headers.authorization)
  if (bearer !== null) return { token: bearer, via: 'bearer' }
  const cookie = request.cookies?.[SESSION_COOKIE]
  return cookie === undefined || cookie === '' ? null : { token: cookie, via: 'cookie' }
}
