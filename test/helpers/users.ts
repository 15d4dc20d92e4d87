// Named users for tests: created through the service (as an admin would), and logged in through the API.
import type { FastifyInstance } from 'fastify'
import type { PersonRole } from '../../src/users/types.js'

/** TestUser is who createTestUser creates. */
export interface TestUser { username: string, password: string, role: PersonRole, sites: string[], displayName?: string }

/** createTestUser stores a user directly through fastify.users. */
export async function createTestUser (app: FastifyInstance, u: TestUser): Promise<void> {
  await app.users.put(u.username, { displayName: u.displayName ?? u.username, role: u.role, sites: u.sites, password: u.password })
}

/** login posts the credentials and returns the session token and the cookie header to send back. */
export async function login (app: FastifyInstance, username: string, password: string): Promise<{ token: string, cookie: string, status: number, body: any }> {
  const res = await app.inject({ method: 'POST', url: '/v1/session', payload: { username, password } })
  const body = res.json()
  const set = res.cookies.find((c) => c.name === 'minewatch_session')
  return { status: res.statusCode, body, token: body.token ?? '', cookie: set === undefined ? '' : `minewatch_session=${set.value}` }
}
