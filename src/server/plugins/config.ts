// Decorates the instance with the frozen configuration so every plugin derives its options from it.
import fp from 'fastify-plugin'
import type { Config } from '../config/load.js'

declare module 'fastify' {
  interface FastifyInstance { config: Config }
}

/** configPlugin exposes `fastify.config`. */
export default fp<{ config: Config }>(async (fastify, opts) => {
  fastify.decorate('config', opts.config)
}, { name: 'config' })
