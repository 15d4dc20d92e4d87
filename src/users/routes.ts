// Log in and out (POST/GET/DELETE /v1/session) and manage users (GET /v1/users, PUT /v1/users/:username).
// Every login, failed login, logout and user change is audited; a password is never logged, stored in clear or
// returned.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ADMIN, PERSON_ROLES, ROLE_NAMES } from '../server/auth/roles.js'
import { Forbidden, NotFound, Unauthorized } from '../server/errors/catalogue.js'
import { canAccessSite, requireSite } from '../server/plugins/auth.js'
import type { Principal } from '../server/auth/tokens.js'
import { schemaId } from '../server/plugins/schemas.js'
import { toIso } from '../lib/time.js'
import { USERNAME_PATTERN } from './kv.js'
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js'
import { InvalidCredentials, LockedOut } from './errors.js'
import { SESSION_COOKIE, sessionToken } from './principal.js'
import { userView } from './service.js'
import type { UserInput } from './types.js'

const username = { type: 'string', pattern: USERNAME_PATTERN, maxLength: 64 }
const loginBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: { username, password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX } }
}
const userBody = {
  type: 'object',
  required: ['displayName', 'role', 'sites'],
  additionalProperties: false,
  properties: {
    displayName: { type: 'string', minLength: 1, maxLength: 100 },
    role: { type: 'string', enum: PERSON_ROLES },
    sites: { type: 'array', minItems: 1, maxItems: 1000, items: { anyOf: [{ const: '*' }, { $ref: `${schemaId('common.json')}#/definitions/Code` }] } },
    password: { type: 'string', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX },
    disabled: { type: 'boolean' }
  }
}
const userParams = { type: 'object', required: ['username'], properties: { username } }
const EVERY_ROLE = { roles: ROLE_NAMES }

/** userRoutes registers the session and user endpoints. */
export default async function userRoutes (fastify: FastifyInstance): Promise<void> {
  const { users, audit, config } = fastify
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: config.people.cookieSecure } as const

  fastify.post<{ Body: { username: string, password: string } }>('/v1/session', { schema: { body: loginBody } }, async (request, reply) => {
    const { username } = request.body
    const attempt = { actor: username, actorKind: 'user', actorRole: null, ip: request.ip } as const
    try {
      const { token, expiresAt, user } = await users.login(username, request.body.password)
      await audit.record({ ...attempt, actorRole: user.role, action: 'login', outcome: 'ok' })
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, expires: new Date(expiresAt) })
      return { token, expiresAt: toIso(expiresAt), user: userView(user, fastify.clock.now()) }
    } catch (err) {
      if (err instanceof InvalidCredentials || err instanceof LockedOut) {
        await audit.record({ ...attempt, action: 'login_failed', outcome: 'denied', detail: { reason: err.failure } })
        if (err instanceof LockedOut && err.lockedNow) await audit.record({ ...attempt, action: 'lockout', outcome: 'ok', detail: { retryAfterS: err.retryAfterS } })
      }
      throw err
    }
  })

  fastify.get('/v1/session', { config: EVERY_ROLE }, async (request) => {
    const p = request.principal
    const carried = sessionToken(request)
    const session = carried === null || p?.username === undefined ? undefined : await users.resolve(carried.token)
    if (session === undefined) {
      // a token of the tokens file: no person, but say what it may do
      return { user: null, principal: { name: p?.name, role: p?.role, sites: p === null || p.sites === '*' ? ['*'] : [...p.sites] } }
    }
    return { user: userView(session.user, fastify.clock.now()), expiresAt: toIso(session.session.expiresAt) }
  })

  fastify.delete('/v1/session', async (request, reply) => {
    const carried = sessionToken(request)
    const session = carried === null ? undefined : await users.resolve(carried.token)
    if (carried === null || session === undefined) throw new Unauthorized()
    await users.logout(carried.token)
    await audit.record({ action: 'logout', outcome: 'ok', actor: session.user.username, actorKind: 'user', actorRole: session.user.role, ip: request.ip })
    return await clearCookie(reply, cookieOptions).code(204).send()
  })

  fastify.get('/v1/users', { config: { roles: ADMIN } }, async (request) => {
    const now = fastify.clock.now()
    return { users: (await users.list()).filter((u) => manages(request.principal, u.sites)).map((u) => userView(u, now)) }
  })

  fastify.get<{ Params: { username: string } }>('/v1/users/:username', { config: { roles: ADMIN }, schema: { params: userParams } }, async (request) => {
    const user = await users.get(request.params.username)
    if (user === undefined || !manages(request.principal, user.sites)) throw new NotFound(`user ${request.params.username} not found`)
    return userView(user, fastify.clock.now())
  })

  fastify.put<{ Params: { username: string }, Body: UserInput }>('/v1/users/:username', {
    config: { roles: ADMIN }, schema: { params: userParams, body: userBody }
  }, async (request) => {
    grantable(request, request.body.sites)
    // a regional admin changes only the people of its own region: never a person who sees more than it does
    const before = await users.get(request.params.username)
    if (before !== undefined && !manages(request.principal, before.sites)) throw new Forbidden(`user ${request.params.username} sees sites outside this admin's scope`)
    const { user, created } = await users.put(request.params.username, request.body)
    const b = request.body
    await audit.record(audit.of(request, {
      action: 'user_put',
      outcome: 'ok',
      target: user.username,
      detail: { created, role: b.role, sites: user.sites, displayName: b.displayName, passwordChanged: b.password !== undefined, disabled: user.disabled }
    }))
    return { user: userView(user, fastify.clock.now()), created }
  })
}

/** manages tells whether an admin's scope covers every site a user sees (a global admin manages everyone). */
export function manages (p: Principal | null, sites: readonly string[]): boolean {
  if (p === null) return false
  if (p.sites === '*') return true
  return !sites.includes('*') && sites.every((site) => canAccessSite(p, site))
}

// An admin limited to some sites may grant only those: never '*', never a site outside its own scope.
function grantable (request: FastifyRequest, sites: readonly string[]): void {
  const p = request.principal
  if (p === null) throw new Unauthorized()
  if (p.sites === '*') return
  if (sites.includes('*')) throw new Forbidden('only an admin of every site may grant every site')
  for (const site of sites) requireSite(p, site)
}

function clearCookie (reply: FastifyReply, options: Record<string, unknown>): FastifyReply {
  return reply.clearCookie(SESSION_COOKIE, options)
}
