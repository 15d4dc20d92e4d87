// The people capability: the users and sessions buckets and the service over them, and the cookie parser the
// session cookie needs. Registered before the auth plugin, which resolves sessions through it.
import fp from 'fastify-plugin'
import cookie from '@fastify/cookie'
import type { FastifyInstance } from 'fastify'
import { openBuckets } from './kv.js'
import { createUserService, type UserService } from './service.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** users logs people in and out and manages their accounts (src/users) */
    users: UserService
  }
}

async function usersPlugin (fastify: FastifyInstance): Promise<void> {
  const { people } = fastify.config
  await fastify.register(cookie)
  const buckets = await openBuckets(fastify.nats.connection, people.sessionTtlMs)
  fastify.decorate('users', createUserService({
    buckets,
    clock: fastify.clock,
    sessionTtlMs: people.sessionTtlMs,
    maxFailures: people.maxFailures,
    lockoutMs: people.lockoutMs
  }))
}

/** users is the plugin that decorates fastify.users. */
export default fp(usersPlugin, { name: 'users', dependencies: ['config', 'clock', 'nats'] })
