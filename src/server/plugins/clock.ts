// The clock every service reads time from; tests pass a virtual one.
import fp from 'fastify-plugin'
import { systemClock, type Clock } from '../../lib/clock.js'

declare module 'fastify' {
  interface FastifyInstance { clock: Clock }
}

/** clockPlugin exposes `fastify.clock`. */
export default fp<{ clock?: Clock }>(async (fastify, opts) => {
  fastify.decorate('clock', opts.clock ?? systemClock)
}, { name: 'clock' })
